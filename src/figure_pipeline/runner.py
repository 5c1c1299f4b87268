"""Run one figure script and lay it out with Graphviz. Runs inside the render sandbox.

Usage: python -m figure_pipeline.runner JOB, where JOB is a `RenderJob` as JSON: the one job
protocol, which the fork server (`forkserver.py`) hands its children unchanged.

The job's limits (`Limits`, see `sandbox.py`) are applied before the script runs. The
result, one JSON object, goes to the process's original standard output: `{"figure": {...}}`
with the title, the graph model and Graphviz's raw SVG, or `{"problem": {...}}`, plus `"stray"`,
the files the script left in its working directory (which never leave the sandbox), and
`"warnings"`, what Graphviz warned about (a missing icon is an error instead). The
script's own prints go to standard error. Everything else (sanitising the SVG, embedding icons,
the cache) is done by the parent, outside the sandbox: nothing this process writes is trusted.
"""

from __future__ import annotations

import faulthandler
import importlib
import json
import os
import re
import subprocess
import sys
import traceback
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from . import errors
from .capture import CapturedFigure, Recorder, patched_diagrams
from .errors import FigureProblem
from .forkserver import RESULT_FILE, STDERR_FILE
from .sandbox import Limits, adopt_orphans, kill_descendants

_CANNOT_IMPORT = re.compile(r"cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)'")
_NO_ATTRIBUTE = re.compile(r"module '(?P<module>[\w.]+)' has no attribute '(?P<name>\w+)'")
_NO_MODULE = re.compile(r"No module named '(?P<module>[\w.]+)'")
_MISSING_IMAGE = re.compile(
    r"(?:No such file or directory while opening|No or improper image(?: file)?=\")(?P<path>[^\"\n]+)"
)
_FIXED_SIZE = re.compile(r"^Warning: node '[^']*', graph '.*' size too small for label$")
# The `providers` page of each provider in the diagrams docs: https://diagrams.mingrammer.com/docs/nodes/<p>
_DOCS = "https://diagrams.mingrammer.com/docs/nodes/"


@dataclass(frozen=True)
class RenderJob:
    """One render, as the build asks for it: the runner's whole input."""

    script: str  # absolute path of the figure script
    name: str  # the script as messages show it
    timeout: float  # seconds before the runner stops the script and names the line it hangs on
    limits: Limits  # applied to this process before the script runs
    python: str  # how the build's interpreter is named from where the build runs (for hints)

    def to_json(self) -> dict[str, Any]:
        """The job as a JSON object (the command-line argument, or the fork server's `spec`)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RenderJob:
        """The job a JSON object describes."""
        return cls(**{**data, "limits": Limits(**data["limits"])})


def _script_line(tb: traceback.StackSummary | list[traceback.FrameSummary], script: Path) -> int | None:
    """The deepest traceback line that lies in the figure script itself."""
    line = None
    for frame in tb:
        if Path(frame.filename).resolve() == script:
            line = frame.lineno
    return line


def _node_hint(exc: Exception) -> tuple[str, str] | None:
    """For a misspelt node class or provider module, a message and a 'did you mean' hint."""
    import difflib

    text = str(exc)
    match = _CANNOT_IMPORT.search(text) or _NO_ATTRIBUTE.search(text)
    if match and match.group("module").startswith("diagrams"):
        module = importlib.import_module(match.group("module"))
        names = [n for n in dir(module) if n[:1].isupper()]
        close = difflib.get_close_matches(match.group("name"), names, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"{match.group('module')} has: {', '.join(names)}"
        return f"unknown node class '{match.group('name')}' in {match.group('module')}", hint
    match = _NO_MODULE.search(text)
    if match and match.group("module").startswith("diagrams."):
        parts = match.group("module").split(".")
        import diagrams

        providers = sorted(p.name for p in Path(diagrams.__file__).parent.iterdir() if p.is_dir() and p.name[0] != "_")
        provider = difflib.get_close_matches(parts[1], providers, n=1, cutoff=0.5)
        page = _DOCS + (provider[0] if provider else "")
        return f"unknown diagrams module '{match.group('module')}'", f"check the provider path at {page}"
    return None


_limits = Limits()
_warnings: list[str] = []  # Graphviz's warnings about this figure (reported; they fail a strict build)
MEMORY_HINT = "build smaller data, or raise the memory_limit option (MiB) under `figures` in mkdocs.yml"


def _memory_text() -> str:
    return memory_text(_limits.memory_mb)


def memory_text(mib: int) -> str:
    """`2 GiB` for 2048, `300 MiB` for 300."""
    return f"{mib // 1024} GiB" if mib % 1024 == 0 else f"{mib} MiB"


_python = ".venv/bin/python"  # RenderJob.python of the job this process runs (set by `run_job`)


def _reproduce(name: str) -> str:
    return reproduce_hint(_python, name)


def reproduce_hint(python: str, name: str) -> str:
    """A command that renders just this script as the build does and prints its traceback."""
    return f"reproduce with: {python} -m figure_pipeline run {name}"


def _exception_problem(exc: BaseException, script: Path, name: str) -> FigureProblem:
    line = _script_line(traceback.extract_tb(exc.__traceback__), script)
    if isinstance(exc, MemoryError):
        return FigureProblem(
            "", errors.MEMORY, f"the script used more than {_memory_text()} of memory", line, MEMORY_HINT
        )
    if isinstance(exc, (ImportError, AttributeError)):
        node = _node_hint(exc)
        if node:
            return FigureProblem("", errors.UNKNOWN_NODE, node[0], line, node[1])
    hint = _reproduce(name)
    if isinstance(exc, OSError) and exc.errno in (13, 30, 1):  # EACCES, EROFS, EPERM
        hint = "figure scripts run in a sandbox: they draw, and can write only into their own temporary folder"
    elif isinstance(exc, OSError) and exc.errno in (101, 111, -2, -3):  # no network in the sandbox
        hint = "figure scripts run without network access: keep icons in the repository"
    details = "".join(traceback.format_exception(exc))[-4000:]
    return FigureProblem("", errors.EXCEPTION, f"{type(exc).__name__}: {exc}", line, hint, details)


def run_script(script: Path, name: str) -> CapturedFigure:
    """Execute a figure script with `diagrams` patched; raise `FigureProblem` on any problem."""
    source = script.read_text(encoding="utf-8")
    try:
        code = compile(source, str(script), "exec")
    except SyntaxError as exc:
        raise FigureProblem("", errors.SYNTAX, f"syntax error: {exc.msg}", exc.lineno, "fix the Python syntax") from exc

    recorder = Recorder(str(script))
    sys.path.insert(0, str(script.parent))  # lets scripts import the house-style module
    namespace = {"__name__": "__main__", "__file__": str(script)}
    try:
        with patched_diagrams(recorder):
            exec(code, namespace)
    except SystemExit as exc:
        line = _script_line(traceback.extract_tb(exc.__traceback__), script)
        if not recorder.figures or exc.code not in (None, 0):
            raise FigureProblem(
                "",
                errors.EXIT,
                f"the script called sys.exit({exc.code!r})" + ("" if recorder.figures else " before drawing"),
                line,
                "a figure script draws its diagram and ends; remove the exit",
            ) from exc
    except BaseException as exc:  # every failure of the script is reported, not raised
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise _exception_problem(exc, script, name) from exc

    if not recorder.figures:
        raise FigureProblem(
            "",
            errors.NO_DIAGRAM,
            "the script ran but drew no diagram",
            None,
            "wrap the nodes in `with figure(...):` from house_style (or `with Diagram(...):`)",
        )
    if len(recorder.figures) > 1:
        raise FigureProblem(
            "",
            errors.TOO_MANY,
            f"the script drew {len(recorder.figures)} diagrams; a figure script draws exactly one",
            recorder.lines[1] if len(recorder.lines) > 1 else None,
            "split it into one script per figure",
        )
    figure = recorder.figures[0]
    if not figure.nodes:
        raise FigureProblem(
            "",
            errors.EMPTY,
            f"the figure '{figure.title}' has no nodes",
            recorder.lines[0] if recorder.lines else None,
            "draw at least one node inside the `with figure(...):` block",
        )
    return figure


def run_dot(dot_source: str) -> str:
    """Lay out DOT source with Graphviz and return the SVG text; any warning is an error."""
    try:
        proc = subprocess.run(["dot", "-Tsvg"], input=dot_source.encode(), capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise FigureProblem(
            "", errors.GRAPHVIZ, "Graphviz is not installed (no `dot`)", None, errors.INSTALL_DOT
        ) from exc
    # diagrams fixes every node's size and puts the label below the box, which Graphviz always
    # reports as "size too small for label"; that warning says nothing about the figure.
    message = "\n".join(
        line for line in proc.stderr.decode(errors="replace").splitlines() if not _FIXED_SIZE.search(line)
    ).strip()
    missing = _MISSING_IMAGE.search(message)
    if missing and Path(missing.group("path")).is_file():
        path = missing.group("path")
        raise FigureProblem(
            "", errors.MISSING_ICON, f"icon file is not an image Graphviz reads: {path}", None, errors.ICON_FORMAT
        )
    if missing:
        raise FigureProblem(
            "",
            errors.MISSING_ICON,
            f"icon file not found: {missing.group('path')}",
            None,
            "give a custom icon by a path inside the repository, e.g. str(Path(__file__).parent / 'icons' / 'x.png')",
        )
    if proc.returncode != 0:
        text = message or f"dot exited with {proc.returncode}"
        raise FigureProblem(
            "", errors.GRAPHVIZ, f"Graphviz failed: {text}", None, "check node, edge and graph attributes"
        )
    if message:  # Graphviz drew something other than what the script asked for: say so
        _warnings.extend(line.removeprefix("Warning: ") for line in message.splitlines()[:10])
    return proc.stdout.decode()


# What the fork server keeps in a render's folder (its result and log), not the script's doing.
_CHANNEL_FILES = (RESULT_FILE, STDERR_FILE)


def _stray_files(workdir: Path) -> list[str]:
    """Files the script left in its working directory (relative names, a bounded list)."""
    found: list[str] = []
    for root, dirs, files in os.walk(workdir):
        dirs.sort()
        for file in sorted(files):
            if root == str(workdir) and file in _CHANNEL_FILES:
                continue
            found.append(os.path.relpath(os.path.join(root, file), workdir))
            if len(found) >= 20:
                return found
    return found


def render(script: Path, name: str) -> dict[str, Any]:
    """Run the script and Graphviz; the JSON-ready result (a figure or a problem)."""
    try:
        figure = run_script(script, name)
        return {
            "figure": {
                "title": figure.title,
                "model": figure.to_model(),
                "dot": figure.dot_source,  # the figure lint and the palette read its graph attributes
                "svg": run_dot(figure.dot_source),
            }
        }
    except FigureProblem as problem:
        return {"problem": replace(problem, script=name).to_json()}


def _private_stdout() -> BinaryIO:
    """The result channel: the original stdout, moved off fd 1 so the script's prints go to stderr."""
    fd = os.dup(1)
    os.set_inheritable(fd, False)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(fd, "wb")


def main(argv: list[str]) -> int:
    """Entry point: `argv` is `[JOB]`, a `RenderJob` as JSON."""
    return run_job(RenderJob.from_json(json.loads(argv[0])))


def run_job(job: RenderJob) -> int:
    """Render the job's script in this process and write the result to standard output."""
    global _limits, _python
    script, name, timeout, limits = Path(job.script).resolve(), job.name, job.timeout, job.limits
    _limits, _python = limits, job.python
    result_channel = _private_stdout()
    workdir = Path.cwd()
    limits.apply()
    adopt_orphans()
    # On a hang, dump every thread's stack (which names the script line) to stderr and exit.
    faulthandler.dump_traceback_later(timeout, exit=True)
    try:
        result = render(script, name)
    finally:
        faulthandler.cancel_dump_traceback_later()
    kill_descendants()  # nothing the script started outlives its render, sandbox or not
    result["stray"] = _stray_files(workdir)
    result["warnings"] = _warnings
    result_channel.write(json.dumps(result).encode())
    result_channel.close()
    return 0 if "figure" in result else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
