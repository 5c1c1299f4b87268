"""Shared fixtures: paths, an isolated figure cache, fixture sites, a built real site, Chromium."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIN = Path(sys.executable).parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mkdocs(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs` command line."""
    return subprocess.run(
        [str(BIN / "mkdocs"), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A copy of the small fixture site (mkdocs.yml, docs/, diagrams/) in a temp folder."""
    target = tmp_path / "site-src"
    shutil.copytree(FIXTURES / "site", target)
    shutil.copy(ROOT / "diagrams" / "house_style.py", target / "diagrams" / "house_style.py")
    return target


def chromium_executable() -> str:
    """The system Chromium: CHROMIUM_PATH, or the first browser found on PATH."""
    candidates = [
        os.environ.get("CHROMIUM_PATH", ""),
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ]
    for candidate in candidates:
        if not candidate:
            continue
        found = shutil.which(candidate) or (candidate if os.access(candidate, os.X_OK) else None)
        if found:
            return found
    pytest.fail("no Chromium found: run `make test` (it installs one) or set CHROMIUM_PATH")


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def site_port() -> int:
    """The port the built site will be served on; the build needs it for its site_url."""
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Path:
    """The real site, built once with `mkdocs build --strict` as mike builds version `dev`, with
    site_url on the local test server (Material's instant navigation only follows same-origin
    URLs from sitemap.xml)."""
    out = tmp_path_factory.mktemp("real-site") / "site"
    env = {
        **os.environ,
        "NUTSHELL_SITE_URL": f"http://127.0.0.1:{site_port}{site_prefix()}",
        "MIKE_DOCS_VERSION": "dev",
    }
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"strict build failed (replicate with `make build`):\n{result.stderr}"
    return out


def site_prefix() -> str:
    """The path part of site_url (e.g. /nutshell/): the site is served under it, as in production."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^site_url:.*?(https?://[^\s\"\]]+)", config, re.M)
    path = urlsplit(match.group(1)).path if match else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _handler(directory: Path, prefix: str, extra: dict[str, bytes]) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        """Serves `directory` under `prefix`, plus `extra` files by absolute path; unknown paths get
        404.html with status 404, like GitHub Pages."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(directory), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            body = extra.get(self.path.split("?", 1)[0])
            if body is None:
                super().do_GET()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(directory / "__outside_the_site__")
            return super().translate_path("/" + path[len(prefix) :])

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            page = directory / "404.html"
            if code != 404 or not page.is_file():
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def serve_directory(
    directory: Path, prefix: str = "/", extra: dict[str, bytes] | None = None, port: int = 0
) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 (a random free port by default); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(directory, prefix, extra or {}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_server(built_site: Path, site_port: int) -> Iterator[str]:
    """The built real site served as mike publishes it: as version `dev` under the site_url path
    (http://127.0.0.1:PORT/nutshell/dev/), with versions.json one level up."""
    versions = json.dumps([{"version": "dev", "title": "dev", "aliases": []}]).encode()
    extra = {site_prefix() + "versions.json": versions}
    with serve_directory(built_site, site_prefix() + "dev/", extra, port=site_port) as url:
        yield url
