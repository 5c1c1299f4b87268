"""Content-addressed cache of rendered figures, with a manifest of the last render.

Layout under the cache directory::

    entries/<key>/light.svg, dark.svg, meta.json   one finished render, never modified
    entries/<key>/digest.json                      the SHA-256 of each of those files
    tmp/<key>-<random>/                            a render in progress (locked while it runs)
    manifest.json                                  figure name -> key, or the problem it has
    icons/<hash>.txt                               encoded icons shared by all renders (`IconCache`)

An entry appears only through an atomic directory rename of a finished render, so readers
never see a half-written entry, and two builds racing on the same key simply keep whichever
finished first. Every lookup checks the entry against its digest: a truncated, emptied,
edited or extra file makes it a miss (`lookup` says why, once), and the entry is dropped and
rendered again. A killed build leaves only an unlocked `tmp/` folder, which the next render
pass and `prune` remove. Figure scripts cannot write here at all (see `sandbox.py`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .defaults import MANIFEST_FILE
from .errors import INSTALL_DOT

MANIFEST_VERSION = 1
ENTRY_FILES = ("light.svg", "dark.svg", "meta.json")
DIGEST_FILE = "digest.json"
LOCK_FILE = ".lock"


@cache
def graphviz_version() -> str:
    """The `dot -V` banner, part of every cache key (layout changes between releases)."""
    try:
        proc = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise GraphvizMissing(f"Graphviz's `dot` does not run ({exc}); {INSTALL_DOT}") from exc
    return (proc.stderr or proc.stdout).strip()


class GraphvizMissing(ValueError):
    """`dot` is not installed or does not run."""


# Modules that never touch a rendered figure: editing them must not invalidate the cache.
NOT_RENDERING = ("__main__.py", "markdown.py", "mkdocs_plugin")


def code_hash(package: Path) -> str:
    """Hash of a package's rendering code: every module but those in `NOT_RENDERING`."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in NOT_RENDERING:
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def pipeline_code() -> str:
    """Hash of the pipeline's own rendering code, part of every cache key.

    A version number alone would keep stale figures (and text alternatives) in every local
    cache whenever the code changed without a release; the source itself cannot be forgotten.
    """
    return code_hash(Path(__file__).resolve().parent)


@cache
def library_versions() -> dict[str, str]:
    """Versions of the Python libraries whose output ends up in the figure."""
    return {name: metadata.version(name) for name in ("diagrams", "pillow")}


def cache_key(script: bytes, style: bytes, options: dict[str, Any]) -> str:
    """Hash of everything that can change a rendered figure."""
    digest = hashlib.sha256()
    inputs = {
        "pipeline": [__version__, pipeline_code()],
        "graphviz": graphviz_version(),
        "libraries": library_versions(),
        "options": options,
        "script": hashlib.sha256(script).hexdigest(),
        "style": hashlib.sha256(style).hexdigest(),
    }
    digest.update(json.dumps(inputs, sort_keys=True).encode())
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class CacheEntry:
    """A finished render in the cache."""

    key: str
    path: Path

    @property
    def light_svg(self) -> Path:
        return self.path / "light.svg"

    @property
    def dark_svg(self) -> Path:
        return self.path / "dark.svg"

    def meta(self) -> dict[str, Any]:
        return _read_meta(str(self.path / "meta.json"))


@lru_cache(maxsize=4096)
def _read_meta(path: str) -> dict[str, Any]:
    # Entries are never modified once they exist, so one read per process is enough (`mkdocs serve`
    # rebuilds would otherwise re-read every figure's metadata on every change).
    meta: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return meta


class FigureCache:
    """The cache directory: lookup, atomic insertion, manifest and pruning."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.entries = self.root / "entries"
        self.tmp = self.root / "tmp"
        self.icons = self.root / "icons"

    def lookup(self, key: str) -> CacheEntry | None:
        """The finished entry for `key`, if it exists and matches its digest."""
        entry, _ = self.verified(key)
        return entry

    def verified(self, key: str) -> tuple[CacheEntry | None, str | None]:
        """(entry, None) for a sound entry; (None, why) for a corrupt one, which is removed;
        (None, None) when there is none."""
        path = self.entries / key
        if not path.exists():
            return None, None
        problem = entry_problem(path)
        if problem is None:
            return CacheEntry(key, path), None
        self._drop(path)
        return None, problem

    def _drop(self, path: Path) -> None:
        """Remove a corrupt entry: renamed away first, so no reader sees it half-deleted."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        doomed = Path(tempfile.mkdtemp(prefix="corrupt-", dir=self.tmp))
        with contextlib.suppress(OSError):  # another build dropped it first
            os.rename(path, doomed / "entry")
        shutil.rmtree(doomed, ignore_errors=True)

    def workspace(self, key: str) -> Path:
        """A fresh private folder to assemble `key` in, locked until it is committed or removed."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=self.tmp))
        fd = os.open(folder / LOCK_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        _LOCKS[str(folder)] = fd
        return folder

    def release(self, workspace: Path) -> None:
        """Remove a workspace that was not committed, and its lock."""
        shutil.rmtree(workspace, ignore_errors=True)
        _unlock(workspace)

    def commit(self, key: str, workspace: Path) -> CacheEntry:
        """Record the digest and move a finished entry into place atomically; a concurrent winner is kept."""
        (workspace / LOCK_FILE).unlink(missing_ok=True)
        extra = sorted(p.name for p in workspace.iterdir() if p.name not in ENTRY_FILES)
        if extra:
            raise ValueError(f"refusing to cache undeclared files: {', '.join(extra)}")
        write_digest(workspace)
        self.entries.mkdir(parents=True, exist_ok=True)
        target = self.entries / key
        try:
            os.rename(workspace, target)
        except OSError:
            shutil.rmtree(workspace, ignore_errors=True)
            if self.lookup(key) is None:
                raise
        finally:
            _unlock(workspace)
        return CacheEntry(key, target)

    def sweep(self) -> int:
        """Remove temp folders no running render holds (left by killed builds); return how many."""
        removed = 0
        if not self.tmp.is_dir():
            return 0
        for path in self.tmp.iterdir():
            if str(path) in _LOCKS:
                continue
            if path.is_dir() and _abandoned(path):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        return removed

    def write_manifest(self, figures: dict[str, dict[str, Any]]) -> Path:
        """Write the manifest atomically (temp file + rename) and return its path."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / MANIFEST_FILE
        data = {"version": MANIFEST_VERSION, "figures": dict(sorted(figures.items()))}
        text = json.dumps(data, indent=1, sort_keys=True)
        try:
            if path.read_text(encoding="utf-8") == text:
                return path  # unchanged: keep the file (and its mtime, which readers use to skip re-reading)
        except (OSError, UnicodeDecodeError):
            pass
        write_atomically(path, text, prefix="manifest-", suffix=".json", mode=0o644)
        return path

    def prune(self, keep: set[str], *, older_than: float = 3600.0, icons_unused_for: float = 30 * 86400.0) -> int:
        """Delete entries not in `keep` or corrupt, temp folders no running render holds (or, for
        files, older than `older_than` seconds) and encoded icons no render has used for
        `icons_unused_for` seconds; return how many."""
        removed = self.sweep()
        now = time.time()
        if self.entries.is_dir():
            for path in self.entries.iterdir():
                if path.name in keep and entry_problem(path) is not None:
                    self._drop(path)
                    removed += 1
        for folder in (self.entries, self.tmp, self.icons):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                age = now - path.stat().st_mtime
                if folder is self.entries:
                    stale = path.name not in keep
                elif folder is self.icons:
                    stale = age > (older_than if path.suffix == ".tmp" else icons_unused_for)
                else:
                    stale = age > older_than and (path.is_file() or _abandoned(path))
                if stale:
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
                    removed += 1
        return removed


def write_atomically(path: Path, text: str, *, prefix: str, suffix: str, mode: int | None = None) -> None:
    """Write `text` to `path` through a temp file in the same folder and a rename, so a reader
    sees the old file or the new one, never part of one. `mode` sets the permissions (mkstemp
    makes the file private)."""
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


class IconCache:
    """Encoded icons shared by every render: `icons/<key>.txt`, the icon's kind then its data URI.

    Most figures reuse the same few dozen icons, and encoding one (resize, palette, optimised
    PNG) costs more than the rest of a small figure. Files appear by atomic rename, so
    concurrent renders never read half an entry; each hit updates the file's mtime, so `prune`
    drops icons no render has used for a while; a cache that cannot be written is simply not used.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(icon: bytes, box_px: int, codec: str) -> str:
        """The key of an icon's encoding: its bytes, the box size, the Pillow version and the
        encoder's `codec` version."""
        import PIL

        digest = hashlib.sha256(f"{codec}\0{PIL.__version__}\0{box_px}\0".encode())
        digest.update(icon)
        return digest.hexdigest()[:32]

    def get(self, key: str) -> tuple[str, bool] | None:
        """The cached data URI and whether the icon is dark ink, or None."""
        entry = self.folder / f"{key}.txt"
        try:
            kind, data_uri = entry.read_text(encoding="ascii").split("\n", 1)
        except (OSError, ValueError):
            return None
        if kind not in ("dark", "light") or not data_uri.startswith("data:image/png;base64,"):
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # last use: `prune` drops icons no render has used for a while
        return data_uri, kind == "dark"

    def put(self, key: str, data_uri: str, dark: bool) -> None:
        """Keep an encoding for later renders (silently not, when the folder cannot be written)."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(
                self.folder / f"{key}.txt",
                ("dark" if dark else "light") + "\n" + data_uri,
                prefix="icon-",
                suffix=".tmp",
            )


def read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """The figures recorded in a manifest file; empty when there is none yet, or when it is
    unreadable (the next render pass writes a whole new one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    figures = data.get("figures")
    if not isinstance(figures, dict):
        return {}
    return {name: record for name, record in figures.items() if isinstance(record, dict) and "key" in record}


_LOCKS: dict[str, int] = {}  # workspace -> the open, locked file descriptor of its lock file


def _unlock(workspace: Path) -> None:
    fd = _LOCKS.pop(str(workspace), None)
    if fd is not None:
        os.close(fd)


def _abandoned(folder: Path) -> bool:
    """True when no process holds the folder's lock (its render was killed, or it has none)."""
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDONLY)
    except FileNotFoundError:
        # No lock file: an older pipeline's folder, or one whose commit just took the lock away.
        with contextlib.suppress(OSError):
            return time.time() - folder.stat().st_mtime > 60
        return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live render holds it
    finally:
        os.close(fd)
    return True


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_digest(folder: Path) -> None:
    """Record the SHA-256 of every entry file in `digest.json`."""
    digest = {name: _sha256(folder / name) for name in ENTRY_FILES}
    (folder / DIGEST_FILE).write_text(json.dumps(digest, indent=1, sort_keys=True), encoding="utf-8")


def entry_problem(path: Path) -> str | None:
    """Why the entry at `path` cannot be trusted, or None when every file matches its digest."""
    try:
        digest = json.loads((path / DIGEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "it has no digest.json"
    except (OSError, ValueError):
        return "its digest.json is unreadable"
    if not isinstance(digest, dict) or sorted(digest) != sorted(ENTRY_FILES):
        return "its digest.json does not list the entry's files"
    try:
        present = {p.name for p in path.iterdir()}
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    extra = sorted(present - {*ENTRY_FILES, DIGEST_FILE})
    if extra:
        return f"it holds undeclared files ({', '.join(extra)})"
    for name in ENTRY_FILES:
        try:
            actual = _sha256(path / name)
        except OSError:
            return f"{name} is missing"
        if actual != digest[name]:
            return f"{name} does not match its recorded hash (truncated or modified)"
    try:
        json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except ValueError:
        return "meta.json is not valid JSON"
    return None
