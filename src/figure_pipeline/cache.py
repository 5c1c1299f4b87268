"""Content-addressed cache of rendered figures, with a manifest of the last render.

Layout under the cache directory::

    entries/<key>/light.svg, dark.svg, meta.json   one finished render, never modified
    tmp/<key>-<random>/                            a render in progress
    manifest.json                                  figure name -> key, or the problem it has
    icons/<hash>.txt                               encoded icons shared by all renders (see svg.py)

An entry appears only through an atomic directory rename of a finished render, so readers
never see a half-written entry, a killed render leaves only a `tmp/` folder (swept later),
and two builds racing on the same key simply keep whichever finished first.
"""

from __future__ import annotations

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

MANIFEST_VERSION = 1
ENTRY_FILES = ("light.svg", "dark.svg", "meta.json")


@cache
def graphviz_version() -> str:
    """The `dot -V` banner, part of every cache key (layout changes between releases)."""
    proc = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=True)
    return (proc.stderr or proc.stdout).strip()


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
    return json.loads(Path(path).read_text(encoding="utf-8"))


class FigureCache:
    """The cache directory: lookup, atomic insertion, manifest and pruning."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.entries = self.root / "entries"
        self.tmp = self.root / "tmp"
        self.icons = self.root / "icons"

    def lookup(self, key: str) -> CacheEntry | None:
        """The finished entry for `key`, if every file of it is present."""
        path = self.entries / key
        if all((path / name).is_file() for name in ENTRY_FILES):
            return CacheEntry(key, path)
        return None

    def workspace(self, key: str) -> Path:
        """A fresh private folder to render `key` into."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{key}-", dir=self.tmp))

    def commit(self, key: str, workspace: Path) -> CacheEntry:
        """Move a finished render into place atomically; a concurrent winner is kept."""
        for scratch in ("hang.txt", "problem.json"):
            (workspace / scratch).unlink(missing_ok=True)
        self.entries.mkdir(parents=True, exist_ok=True)
        target = self.entries / key
        try:
            os.rename(workspace, target)
        except OSError:
            shutil.rmtree(workspace, ignore_errors=True)
            if self.lookup(key) is None:
                raise
        return CacheEntry(key, target)

    def write_manifest(self, figures: dict[str, dict[str, Any]]) -> Path:
        """Write the manifest atomically (temp file + rename) and return its path."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / "manifest.json"
        data = {"version": MANIFEST_VERSION, "figures": dict(sorted(figures.items()))}
        text = json.dumps(data, indent=1, sort_keys=True)
        try:
            if path.read_text(encoding="utf-8") == text:
                return path  # unchanged: keep the file (and its mtime, which readers use to skip re-reading)
        except (OSError, UnicodeDecodeError):
            pass
        fd, tmp_name = tempfile.mkstemp(prefix="manifest-", suffix=".json", dir=self.root)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        return path

    def prune(self, keep: set[str], *, older_than: float = 3600.0, icons_unused_for: float = 30 * 86400.0) -> int:
        """Delete entries not in `keep`, temp folders older than `older_than` seconds and
        encoded icons no render has used for `icons_unused_for` seconds; return how many."""
        removed = 0
        now = time.time()
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
                    stale = age > older_than
                if stale:
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
                    removed += 1
        return removed


def read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """The figures recorded in a manifest file; empty when there is none yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if data.get("version") != MANIFEST_VERSION:
        return {}
    return data["figures"]
