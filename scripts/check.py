"""`make check`: the lint plus the tests that matter for what you changed, in well under a minute.

What changed is everything since the branch left `main` (or since HEAD when there is no `main`),
committed or not, untracked files included. The selection:

| changed | runs |
| --- | --- |
| anything | the lint hooks (tests/test_lint.py) and the page rules (tests/test_content.py) |
| `docs/examples/**` | the example tests (tests/test_example*.py) |
| `diagrams/<name>.py` | that figure's tests (tests/test_figures.py -k name; every figure for the house style) |
| `src/**`, `tests/**`, `tools/**`, `pyproject.toml` | every test not marked browser or slow (the quick bench run too) |
| `.github/**` | the workflow linters (tests/test_workflows.py) |
| pages, includes, figures, `mkdocs.yml`, `overrides/` | a strict build into a temporary folder |

`make test` still runs everything; CI runs `make test`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _git(*args: str) -> list[str]:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return [line for line in result.stdout.splitlines() if line] if result.returncode == 0 else []


def changed_files() -> list[str]:
    """Paths changed since the branch point with `main` (or HEAD), committed, staged, unstaged or new."""
    base = next(iter(_git("merge-base", "HEAD", "main")), "HEAD")
    names = {*_git("diff", "--name-only", base), *_git("ls-files", "--others", "--exclude-standard")}
    return sorted(names)


def select(changed: list[str]) -> tuple[list[str], bool]:
    """The pytest arguments and whether a strict build is needed for these changed paths."""
    tests = ["tests/test_lint.py", "tests/test_content.py"]
    figures: set[str] = set()
    every_figure = quick_suite = False
    for path in changed:
        if path.startswith("docs/examples/"):
            tests += [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "tests").glob("test_example*.py"))]
        elif path.startswith("diagrams/") and path.endswith(".py"):
            name = Path(path).stem
            every_figure |= name == "house_style"
            figures.add(name)
        if path.startswith(("src/", "tests/", "tools/")) or path == "pyproject.toml":
            quick_suite = True
        if path.startswith(".github/"):
            tests.append("tests/test_workflows.py")
    build = any(
        path.startswith(("docs/", "includes/", "diagrams/", "overrides/")) or path == "mkdocs.yml" for path in changed
    )
    args = list(dict.fromkeys(tests))
    if quick_suite:
        args = ["tests", "-m", "not browser and not slow"]
    elif figures:
        args.append("tests/test_figures.py")
        if not every_figure:  # the changed figures' tests, and every test of the other modules
            args += ["-k", " or ".join([*sorted(figures), "not test_figures"])]
    return args, build


def _run(title: str, command: list[str]) -> bool:
    print(f"==> {title}", flush=True)
    started = time.monotonic()
    ok = subprocess.run(command, cwd=ROOT, check=False).returncode == 0
    print(f"==> {title}: {'ok' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s", flush=True)
    return ok


def main() -> int:
    """Run the selection; exit 1 when any part fails."""
    started = time.monotonic()
    changed = changed_files()
    print(f"==> {len(changed)} changed files since main" + (": " + ", ".join(changed[:8]) if changed else ""))
    if len(changed) > 8:
        print(f"    ... and {len(changed) - 8} more")
    args, build = select(changed)
    ok = _run("tests: " + " ".join(args), [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", *args])
    if build:
        with tempfile.TemporaryDirectory(prefix="nutshell-check-") as site:
            ok = _run("strict build", [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "-d", site]) and ok
    verdict = "passed" if ok else "FAILED: fix the messages above, then run make check again"
    print(f"==> make check {verdict} ({time.monotonic() - started:.0f} s). Before the pull request: make test")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
