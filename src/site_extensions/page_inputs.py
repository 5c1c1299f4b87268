"""What a page read while it was rendered: the record `make serve` uses to know what an edit touches.

A recorder is active while one page's Markdown is converted. It collects two kinds of input:

- **files**: every file opened for reading under the project root during the conversion (snippets
  such as `--8<-- "docs/examples/..."` and the glossary includes, data files read by Markdown
  extensions), seen through Python's `open` audit event, so no extension has to cooperate; and
  any file an extension reports with `read(path)`: needed when it serves the file from an
  in-process cache, where no `open` happens;
- **named inputs**: `used(key, fingerprint)` for inputs that are not files, such as a figure
  (`figure:<name>` with a hash of the record shown).

Extensions reach the recorder through the Markdown instance, by duck typing, so they import
nothing and work unchanged where nobody records (a plain build, Zensical)::

    inputs = getattr(md, "page_inputs", None)
    if inputs is not None:
        inputs.read(path)

This module imports neither MkDocs nor any extension.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown

Stamp = tuple[int, int]  # (st_mtime_ns, st_size); (-1, -1) for a file that does not exist

MISSING: Stamp = (-1, -1)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_CODE_SUFFIXES = (".py", ".pyc", ".pyo", ".so")


def stamp(path: str) -> Stamp:
    """A file's modification time and size: changes whenever its content can have changed."""
    try:
        stat = os.stat(path)
    except OSError:
        return MISSING
    return (stat.st_mtime_ns, stat.st_size)


class PageInputs:
    """The inputs of one page render: files with their stamps, named inputs with their fingerprints."""

    def __init__(self, root: Path, exclude: Iterable[Path] = ()) -> None:
        self.root = os.path.abspath(root) + os.sep
        self.exclude = tuple(os.path.abspath(p) for p in exclude)
        self.files: dict[str, Stamp] = {}
        self.named: dict[str, str] = {}

    def read(self, path: str | os.PathLike[str]) -> None:
        """The page's output depends on this file (ignored outside the project root)."""
        full = os.path.abspath(os.fsdecode(path))
        if full in self.files or not full.startswith(self.root) or full.endswith(_CODE_SUFFIXES):
            return
        if any(full == p or full.startswith(p + os.sep) for p in self.exclude):
            return
        if os.path.isdir(full):
            return
        self.files[full] = stamp(full)

    def used(self, key: str, fingerprint: str) -> None:
        """The page's output depends on the named input `key`, in the state `fingerprint`."""
        self.named[key] = fingerprint


_local = threading.local()  # the recorder of the page this thread is rendering, if any
_hook_installed = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # Called for every audited event in the process: return at once unless a page is rendering.
    if event != "open":
        return
    recorder = getattr(_local, "recorder", None)
    if recorder is None:
        return
    path, mode, flags = (*args, None, None, None)[:3]
    if isinstance(path, int) or path is None:
        return
    if isinstance(mode, str):
        if any(c in mode for c in "wax+"):
            return
    elif isinstance(flags, int) and flags & _WRITE_FLAGS:
        return
    recorder.read(path)


def start(recorder: PageInputs) -> None:
    """Record the file reads of this thread into `recorder` until `stop()`."""
    global _hook_installed
    if not _hook_installed:  # audit hooks cannot be removed: one for the process, idle between pages
        sys.addaudithook(_audit)
        _hook_installed = True
    _local.recorder = recorder


def stop() -> None:
    """End the recording `start` began."""
    _local.recorder = None


def current() -> PageInputs | None:
    """The recorder of the page this thread is rendering, if any."""
    return getattr(_local, "recorder", None)


class PageInputsExtension(Extension):
    """Hangs the active recorder on each Markdown instance as `md.page_inputs`."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.page_inputs = current()  # type: ignore[attr-defined]
