"""Turn what a sandboxed render handed back into the files of a cache entry, or a named problem.

This runs in the build process, outside the sandbox, on data the figure script controlled: the
result is size-capped and parsed defensively, the SVG is cleaned (`sanitize.py`) before any icon
file is read, icons are embedded only from allowed folders, and the finished SVG passes the
allowlist check before anything is written.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

from . import errors
from .describe import describe
from .errors import FigureProblem
from .lint import lint
from .runner import MEMORY_HINT, memory_text, reproduce_hint
from .sandbox import Outcome
from .sanitize import UnsafeSvg, check_figure_svg, clean_graphviz_svg
from .svg import SvgError, dark_palette, dark_variant, postprocess_svg, svg_size


def python_display() -> str:
    """The build's interpreter as a command that works from the current folder."""
    relative = os.path.relpath(sys.executable)
    return relative if not relative.startswith("..") else sys.executable


CSS_UNITS = re.compile(r'\bcss_units="?px\b')  # graph attribute set by the house style
_HANG_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')

SIGNAL_CAUSES = {
    "SIGKILL": "killed from outside the render: most often the system's out-of-memory killer",
    "SIGXCPU": "the script used more CPU time than the timeout allows",
    "SIGXFSZ": "the script wrote a file larger than the file-size limit",
    "SIGSEGV": "a crash in native code (a C extension, or ctypes misuse)",
    "SIGABRT": "the process aborted (os.abort(), or a failed assertion in native code)",
    "SIGBUS": "a crash in native code",
}


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def parse_result(outcome: Outcome) -> dict[str, Any] | None:
    """The runner's JSON result, or None when there is none (or it is not what a runner writes)."""
    if outcome.result_overflow or not outcome.result:
        return None
    try:
        data = json.loads(outcome.result)
    except ValueError:
        return None
    if not isinstance(data, dict) or not (
        isinstance(data.get("figure"), dict) or isinstance(data.get("problem"), dict)
    ):
        return None
    return data


def _hang_line(log: str, script: Path) -> int | None:
    for match in _HANG_FRAME.finditer(log[log.rfind("Timeout (") :]):
        if Path(match.group("file")).resolve() == script.resolve():
            return int(match.group("line"))  # faulthandler lists the innermost frame first
    return None


def problem_without_result(
    display: str, script: Path, outcome: Outcome, timeout: float, memory_mb: int
) -> FigureProblem:
    """Name what happened to a render that handed back no result."""
    limit = f"{timeout:g} s"
    option = "the `timeout` option under `figures` in mkdocs.yml, or --timeout on the command line"
    if outcome.result_overflow:
        return FigureProblem(display, errors.UNSAFE, "the render handed back more than 64 MiB of output", None, "")
    if outcome.timed_out or "Timeout (" in outcome.log:
        line = None if outcome.timed_out else _hang_line(outcome.log, script)
        where = "look for an endless loop or a blocking call at that line" if line else "look for an endless loop"
        return FigureProblem(
            display,
            errors.TIMEOUT,
            f"the script did not finish within the {limit} timeout (killed)",
            line,
            f"{where}, or raise the limit: {option}",
        )
    if "MemoryError" in outcome.log:
        return FigureProblem(
            display, errors.MEMORY, f"the script used more than {memory_text(memory_mb)} of memory", None, MEMORY_HINT
        )
    code = outcome.returncode
    number = -code if code < 0 else (code - 128 if outcome.sandboxed and 128 < code < 160 else 0)
    if number:
        name = _signal_name(number)
        cause = SIGNAL_CAUSES.get(name, "")
        if name == "SIGKILL":
            cause += f" (the memory limit is {memory_text(memory_mb)}; the timeout is {limit})"
        return FigureProblem(
            display,
            errors.SIGNAL,
            f"the render process was killed by {name}" + (f": {cause}" if cause else ""),
            None,
            "",
        )
    tail = "\n".join(outcome.log.strip().splitlines()[-3:])[-600:]
    return FigureProblem(
        display,
        errors.CRASH,
        f"the render process ended (exit code {code}) without a result"
        + (f"; its last output:\n{tail}" if tail else ""),
        None,
        reproduce_hint(python_display(), display),
    )


def entry_files(
    figure: dict[str, Any],
    *,
    icon_px: int,
    icon_cache: Path | None,
    icon_roots: list[Path],
    warnings: list[str] | None = None,
) -> dict[str, str]:
    """light.svg, dark.svg and meta.json for a figure result; raises UnsafeSvg or SvgError."""
    title, model, raw, dot = figure.get("title"), figure.get("model"), figure.get("svg"), figure.get("dot")
    if not (isinstance(title, str) and isinstance(raw, str) and isinstance(dot, str) and isinstance(model, dict)):
        raise UnsafeSvg("the render's result is malformed")
    clean = clean_graphviz_svg(raw, icon_roots)
    # The house style draws one SVG unit as one CSS px; other scripts keep Graphviz's points.
    css_px = CSS_UNITS.search(dot) is not None
    palette = dark_palette(dot)
    light = postprocess_svg(
        clean, title=title, icon_px=icon_px, icon_cache=icon_cache, css_px=css_px, lift_dark_icons=not palette
    )
    dark = dark_variant(light, palette)
    for svg in (light, dark):
        check_figure_svg(svg)
    width, height = svg_size(light)
    try:
        description = describe(model)
        labels = {str(node["id"]): str(node["label"]) for node in model["nodes"]}
        measured = lint(clean, dot, labels, px_per_unit=1.0 if css_px else 4 / 3, finished=(light, dark))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, SyntaxError) as exc:
        raise UnsafeSvg(f"the figure's graph model or drawing is malformed ({exc})") from exc
    meta = {
        "title": title,
        "width": width,
        "height": height,
        "model": model,
        "description": description,
        "lint": measured.to_json(),
    }
    if warnings:  # kept with the figure, so a cached build reports them too
        meta["warnings"] = warnings
    return {"light.svg": light, "dark.svg": dark, "meta.json": json.dumps(meta, indent=1, sort_keys=True)}


def unsafe_problem(display: str, exc: UnsafeSvg | SvgError) -> FigureProblem:
    """The problem a rejected SVG (UnsafeSvg) or an unreadable icon (SvgError) is reported as."""
    if isinstance(exc, SvgError):
        return FigureProblem(display, errors.MISSING_ICON, str(exc), None, errors.ICON_FORMAT)
    return FigureProblem(
        display, errors.UNSAFE, str(exc), None, "figures hold drawing only: no scripts, links or outside files"
    )
