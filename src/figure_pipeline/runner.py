"""Render one figure script. Runs in its own subprocess, started by `render.py`.

Usage: python -m figure_pipeline.runner SCRIPT DISPLAY_NAME OUTDIR TIMEOUT ICON_PX [ICON_CACHE]

ICON_CACHE is a folder of encoded icons shared with other renders (see `svg.py`).

On success OUTDIR holds `light.svg`, `dark.svg` and `meta.json`; on failure it holds
`problem.json`. The parent process moves OUTDIR into the cache only on success, so a killed
or failed run never leaves a half-written entry behind.
"""

from __future__ import annotations

import faulthandler
import importlib
import json
import re
import subprocess
import sys
import traceback
from pathlib import Path

from . import errors
from .capture import CapturedFigure, Recorder, patched_diagrams
from .describe import describe
from .lint import lint
from .svg import dark_palette, dark_variant, postprocess_svg, svg_size

CSS_UNITS = re.compile(r'\bcss_units="?px\b')  # graph attribute set by the house style
_CANNOT_IMPORT = re.compile(r"cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)'")
_NO_ATTRIBUTE = re.compile(r"module '(?P<module>[\w.]+)' has no attribute '(?P<name>\w+)'")
_NO_MODULE = re.compile(r"No module named '(?P<module>[\w.]+)'")


def _script_line(tb: traceback.StackSummary | list[traceback.FrameSummary], script: Path) -> int | None:
    """The deepest traceback line that lies in the figure script itself."""
    line = None
    for frame in tb:
        if Path(frame.filename).resolve() == script:
            line = frame.lineno
    return line


def _node_hint(exc: Exception) -> tuple[str, str] | None:
    """For a misspelt node class or provider module, a message and a 'did you mean' hint."""
    text = str(exc)
    match = _CANNOT_IMPORT.search(text) or _NO_ATTRIBUTE.search(text)
    if match and match.group("module").startswith("diagrams"):
        import difflib

        module = importlib.import_module(match.group("module"))
        names = [n for n in dir(module) if n[:1].isupper()]
        close = difflib.get_close_matches(match.group("name"), names, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"{match.group('module')} has: {', '.join(names)}"
        return f"unknown node class '{match.group('name')}' in {match.group('module')}", hint
    match = _NO_MODULE.search(text)
    if match and match.group("module").startswith("diagrams."):
        return (
            f"unknown diagrams module '{match.group('module')}'",
            "check the provider path at https://diagrams.mingrammer.com/docs/nodes/onprem",
        )
    return None


def run_script(script: Path, name: str) -> CapturedFigure:
    """Execute a figure script with `diagrams` patched; raise `_Failure` on any problem."""
    source = script.read_text(encoding="utf-8")
    try:
        code = compile(source, str(script), "exec")
    except SyntaxError as exc:
        raise _Failure(errors.SYNTAX, f"syntax error: {exc.msg}", exc.lineno, "fix the Python syntax") from exc

    recorder = Recorder()
    sys.path.insert(0, str(script.parent))  # lets scripts import the house-style module
    namespace = {"__name__": "__main__", "__file__": str(script)}
    try:
        with patched_diagrams(recorder):
            exec(code, namespace)
    except (ImportError, AttributeError) as exc:
        line = _script_line(traceback.extract_tb(exc.__traceback__), script)
        node = _node_hint(exc)
        if node:
            raise _Failure(errors.UNKNOWN_NODE, node[0], line, node[1]) from exc
        raise _Failure(errors.EXCEPTION, f"{type(exc).__name__}: {exc}", line, "") from exc
    except Exception as exc:
        line = _script_line(traceback.extract_tb(exc.__traceback__), script)
        raise _Failure(
            errors.EXCEPTION,
            f"{type(exc).__name__}: {exc}",
            line,
            f"reproduce with: python {name}",
        ) from exc

    if not recorder.figures:
        raise _Failure(
            errors.NO_DIAGRAM,
            "the script ran but drew no diagram",
            None,
            "wrap the nodes in `with figure(...):` from house_style (or `with Diagram(...):`)",
        )
    if len(recorder.figures) > 1:
        raise _Failure(
            errors.TOO_MANY,
            f"the script drew {len(recorder.figures)} diagrams; a figure script draws exactly one",
            None,
            "split it into one script per figure",
        )
    return recorder.figures[0]


def run_dot(dot_source: str) -> str:
    """Lay out DOT source with Graphviz and return the SVG text."""
    proc = subprocess.run(
        ["dot", "-Tsvg"],
        input=dot_source.encode(),
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip() or f"dot exited with {proc.returncode}"
        raise _Failure(errors.GRAPHVIZ, f"Graphviz failed: {message}", None, "check node and edge attributes")
    return proc.stdout.decode()


class _Failure(Exception):
    def __init__(self, kind: str, message: str, line: int | None, hint: str) -> None:
        super().__init__(message)
        self.kind, self.message, self.line, self.hint = kind, message, line, hint


def render_to(script: Path, name: str, outdir: Path, icon_px: int, icon_cache: Path | None = None) -> None:
    """Run the script, lay it out, and write light/dark SVG plus metadata into `outdir`."""
    figure = run_script(script, name)
    raw = run_dot(figure.dot_source)
    # The house style draws one SVG unit as one CSS px; other scripts keep Graphviz's points.
    css_px = CSS_UNITS.search(figure.dot_source) is not None
    palette = dark_palette(figure.dot_source)
    light = postprocess_svg(
        raw, title=figure.title, icon_px=icon_px, icon_cache=icon_cache, css_px=css_px, lift_dark_icons=not palette
    )
    width, height = svg_size(light)
    labels = {node.id: node.label for node in figure.nodes}
    measured = lint(raw, figure.dot_source, labels, px_per_unit=1.0 if css_px else 4 / 3)
    meta = {
        "title": figure.title,
        "width": width,
        "height": height,
        "model": figure.to_model(),
        "description": describe(figure.to_model()),
        "lint": measured.to_json(),
    }
    (outdir / "light.svg").write_text(light, encoding="utf-8")
    (outdir / "dark.svg").write_text(dark_variant(light, palette), encoding="utf-8")
    (outdir / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")


def main(argv: list[str]) -> int:
    script, name, outdir = Path(argv[0]).resolve(), argv[1], Path(argv[2])
    timeout, icon_px = float(argv[3]), int(argv[4])
    icon_cache = Path(argv[5]) if len(argv) > 5 else None
    # On a hang, dump every thread's stack (which names the script line) and exit.
    hang_log = open(outdir / "hang.txt", "w", encoding="utf-8")  # noqa: SIM115 - must outlive this frame
    faulthandler.dump_traceback_later(timeout, exit=True, file=hang_log)
    try:
        render_to(script, name, outdir, icon_px, icon_cache)
    except _Failure as failure:
        problem = errors.FigureProblem(name, failure.kind, failure.message, failure.line, failure.hint)
        (outdir / "problem.json").write_text(json.dumps(problem.to_json()), encoding="utf-8")
        return 1
    finally:
        faulthandler.cancel_dump_traceback_later()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
