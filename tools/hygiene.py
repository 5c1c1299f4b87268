"""File hygiene for the `hygiene` pre-commit hook: the checks Kroki and most projects run with
pre-commit-hooks (check-added-large-files, trailing-whitespace, end-of-file-fixer), as one
check-only script so the hook needs nothing beyond the standard library and rewrites nothing.

`.venv/bin/python -m tools.hygiene FILE...` prints `file:line: problem (fix)` for each finding
and exits 1 when there is one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

MAX_BYTES = 500 * 1024  # pre-commit-hooks' default for check-added-large-files
BINARY_SNIFF = 8192  # a NUL byte in the first 8 KiB marks a binary file, as git decides


def problems(path: Path) -> Iterator[str]:
    """Every hygiene problem of one file, each as `path:line: what (fix)`."""
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        size, limit = len(data) // 1024, MAX_BYTES // 1024
        yield f"{path}:1: {size} KiB is over the {limit} KiB limit (generated or data files stay out of git)"
    if not data or b"\0" in data[:BINARY_SNIFF]:
        return
    lines = data.split(b"\n")
    for number, line in enumerate(lines[:-1], start=1):
        if line.rstrip(b"\r") != line.rstrip():
            yield f"{path}:{number}: trailing whitespace (delete it; `make format` does for Python)"
    if lines[-1]:
        yield f"{path}:{len(lines)}: no newline at the end of the file (add one)"
    elif len(lines) > 1 and not lines[-2].strip():
        yield f"{path}:{len(lines) - 1}: blank lines at the end of the file (keep exactly one newline)"


def main(argv: Sequence[str] | None = None) -> int:
    """Check the files named on the command line; 1 when any has a problem."""
    found = [problem for name in (sys.argv[1:] if argv is None else argv) for problem in problems(Path(name))]
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
