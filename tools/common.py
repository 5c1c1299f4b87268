"""Helpers shared by the tests and the tools: the browser, ports, the site_url prefix, a server.

One definition each, so `make test`, `make bench` and any tool look for Chromium in the same
places and serve a built site the way GitHub Pages does.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import io
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

from . import mkdocs_config

ROOT = Path(__file__).resolve().parents[1]  # the repository
BIN = Path(sys.executable).parent  # the tools of the running interpreter's environment (.venv/bin)
CHROMIUM_CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
# What the system Chromium needs in a container (no user namespaces, no GPU) and to stay offline.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class ChromiumMissing(RuntimeError):
    """No Chromium was found; the message says how to get one."""


def chromium_executable() -> str:
    """The system Chromium: $CHROMIUM_PATH, or the first known browser on PATH or in /Applications."""
    for candidate in (os.environ.get("CHROMIUM_PATH", ""), *CHROMIUM_CANDIDATES):
        if not candidate:
            continue
        found = shutil.which(candidate) or (candidate if os.access(candidate, os.X_OK) else None)
        if found:
            return found
    raise ChromiumMissing("no Chromium found: run `make setup-test` (it installs one) or set CHROMIUM_PATH")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_mkdocs_serve(
    root: Path, port: int, log: Path, *, dirty: bool = True, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`mkdocs serve` of the site in `root` on 127.0.0.1:`port`, with `--dirty` as `make serve` runs
    it; its output goes to `log`, its environment is `env` (default: this process's). Wait for it
    with `wait_until_serving`; the caller stops it."""
    command = [str(BIN / "mkdocs"), "serve", *(["--dirty"] if dirty else []), "--dev-addr", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=root,
            env=None if env is None else dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


class ServerDidNotStart(RuntimeError):
    """A server process exited or did not answer in time; the message ends with its log."""


def wait_until_serving(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 300.0) -> None:
    """Poll `url` until it answers; raise `ServerDidNotStart` with the log's tail if `proc` exits first
    or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None:
                raise ServerDidNotStart(f"the server exited:\n{_tail(log)}") from None
            time.sleep(0.2)
    raise ServerDidNotStart(f"the server did not answer {url} in {timeout:.0f} s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.is_file() else "(no log)"


def site_prefix(config_file: Path = ROOT / "mkdocs.yml", environ: Mapping[str, str] | None = None) -> str:
    """The path part of site_url (e.g. `/nutshell/`), under which the site is served.

    `site_url: !ENV [NAME, default]` is read as MkDocs reads it, from `environ`; by default from
    an empty environment, which gives the production URL.
    """
    config = mkdocs_config.load(config_file)
    url = mkdocs_config.resolve(config.get("site_url"), {} if environ is None else environ)
    path = urllib.parse.urlsplit(str(url or "/")).path.strip("/")
    return f"/{path}/" if path else "/"


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


def _handler(
    directory: Path, prefix: str, extra: dict[str, bytes], compress: bool = False
) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        """Serves `directory` under `prefix`, plus `extra` JSON files by absolute path; an
        unknown path gets 404.html with status 404, like GitHub Pages. With `compress`, text
        files go out gzip-compressed with a 10-minute max-age, and connections stay open
        between requests (HTTP/1.1), as GitHub Pages serves them: Lighthouse's simulated
        throttling charges a new connection, and its round trips, for every request to an
        HTTP/1.0 server."""

        protocol_version = "HTTP/1.1" if compress else "HTTP/1.0"

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(directory), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            body = extra.get(self.path.split("?", 1)[0])
            if body is None:
                super().do_GET()
                return
            self._send(200, "application/json", body)

        def send_head(self):  # type: ignore[no-untyped-def]
            url_path = self.path.split("?", 1)[0]
            path = Path(self.translate_path(url_path))
            if path.is_dir():
                if not url_path.endswith("/"):
                    return super().send_head()  # the redirect to the folder's URL
                path = path / "index.html"
            wants = compress and "gzip" in self.headers.get("Accept-Encoding", "")
            if not (wants and path.is_file() and path.suffix in COMPRESSIBLE):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return io.BytesIO(body)

        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(directory / "__outside_the_site__")
            return super().translate_path("/" + path[len(prefix) :])

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            page = directory / "404.html"
            if code != 404 or not page.is_file():
                super().send_error(code, message, explain)
                return
            self._send(404, "text/html; charset=utf-8", page.read_bytes())

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser closing a kept-alive connection is not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def serve_directory(
    directory: Path, prefix: str = "/", extra: dict[str, bytes] | None = None, port: int = 0, compress: bool = False
) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 under `prefix` (a random free port by default); yields its URL.
    `compress` gzips text files, as GitHub Pages does (for measurements of transfer size)."""
    server = _Server(("127.0.0.1", port), _handler(directory, prefix, extra or {}, compress))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
