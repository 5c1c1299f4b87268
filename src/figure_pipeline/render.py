"""Render passes: find the figure scripts, render each one not in the cache, write the manifest.

This module orchestrates; it starts no process itself. Each script runs in its own process
(`runner.py`) inside its own bubblewrap sandbox (see `sandbox.py`): read-only file system,
private temporary working directory, no network, a minimal environment, its own PID namespace,
resource limits and a timeout, so a hanging, crashing or hostile script can hurt neither the
build nor another figure. It hands back the title, the graph model and Graphviz's SVG; this
process cleans that SVG, embeds the icons and writes the cache entry (`finish.py`), so nothing a
script writes reaches the cache or the site unchecked. Threads only wait on those processes, so
one thread per core keeps every core busy.

How a render process is started is `launch.py`'s job: without bubblewrap (macOS, no user
namespaces) renders are forked from a server that has already imported `diagrams`
(`forkserver.py`), with the same limits and clean environment; the build log says so once.
`FIGURE_PIPELINE_FORKSERVER=0` starts a fresh interpreter per render. The pass's results go into
the manifest (`manifest_record`, the contract in the package docstring), and `copy_figures`
copies the SVGs out for the CLI's `--out`.
"""

from __future__ import annotations

import ast
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors, finish, lint, sandbox
from .cache import CacheEntry, FigureCache, cache_key, read_manifest
from .defaults import MANIFEST_FILE
from .errors import FigureProblem
from .forkserver import ForkServer
from .launch import run_render
from .options import RenderOptions, relative_to_cwd
from .sanitize import UnsafeSvg
from .svg import SvgError

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class FigureResult:
    """The outcome for one figure script."""

    name: str
    script: Path
    key: str
    entry: CacheEntry | None = None
    problem: FigureProblem | None = None
    cached: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # warnings that did not stop the figure


@dataclass
class RenderReport:
    """All results of one render pass, by figure name."""

    results: dict[str, FigureResult] = field(default_factory=dict)
    manifest: Path | None = None
    sandbox: str = ""  # how scripts ran, for the build log
    swept: int = 0  # temp folders of killed builds removed by this pass

    @property
    def notes(self) -> list[str]:
        return [note for r in self.results.values() for note in r.notes]

    @property
    def problems(self) -> list[FigureProblem]:
        return [r.problem for r in self.results.values() if r.problem]

    @property
    def rendered(self) -> int:
        return sum(1 for r in self.results.values() if r.entry and not r.cached)

    @property
    def cached(self) -> int:
        return sum(1 for r in self.results.values() if r.cached)

    def summary(self) -> str:
        return (
            f"{len(self.results)} figures: {self.rendered} rendered, {self.cached} cached, {len(self.problems)} failed"
        )


def discover(scripts_dir: Path, style_module: str) -> dict[str, Path]:
    """Figure scripts by name: every `*.py` except the style module and `_private.py` files."""
    found: dict[str, Path] = {}
    for path in sorted(scripts_dir.glob("*.py")):
        if path.name == style_module or path.name.startswith("_"):
            continue
        found[path.stem] = path
    return found


def _recorded_warnings(entry: CacheEntry, display: str) -> list[str]:
    """The warnings a cached figure was rendered with: repeated by every build until fixed."""
    try:
        recorded = entry.meta().get("warnings", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [f"{display}: {w}" for w in recorded if isinstance(w, str)]


def pending_rules(style: bytes) -> tuple[str, ...]:
    """`LINT_PENDING` of the house-style module: rules measured and previewed but not yet enforced.

    Read from the source, never imported: the style module is figure code, run only in renders.
    """
    try:
        tree = ast.parse(style)
    except SyntaxError:
        return ()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, expr = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, expr = [node.target], node.value
        else:
            continue
        if any(getattr(t, "id", "") == "LINT_PENDING" for t in targets):
            try:
                value = ast.literal_eval(expr)
            except ValueError:
                return ()
            return tuple(str(v) for v in value if str(v) in lint.RULES)
    return ()


def lint_problem(script: Path, entry: CacheEntry, ignore: tuple[str, ...]) -> FigureProblem | None:
    """The figure-lint violations of a rendered figure not in `ignore`, as one problem."""
    found = [lint.Violation(**v) for v in entry.meta().get("lint", {}).get("violations", []) if v["rule"] not in ignore]
    if not found:
        return None
    return FigureProblem(relative_to_cwd(script), errors.LINT, lint.describe(found), None, lint.fixes(found))


def render_one(
    name: str,
    script: Path,
    key: str,
    cache: FigureCache,
    options: RenderOptions,
    server: ForkServer | None = None,
    sandboxed: bool = False,
    ignore: tuple[str, ...] = (),
) -> FigureResult:
    """Render one script unless the cache already holds a sound entry for its key; `ignore` lists
    lint rules not enforced."""
    started = time.perf_counter()
    result = FigureResult(name, script, key)
    display = relative_to_cwd(script)
    entry, corrupt = cache.verified(key)
    if entry is not None:
        result.entry, result.cached = entry, True
        result.notes = _recorded_warnings(entry, display)
        _apply_lint(result, ignore)
        return result
    if corrupt:
        result.notes.append(f"{display}: the cached figure was corrupt ({corrupt}); dropped and rendered again")
    outcome = run_render(script, options, server, sandboxed)
    data = finish.parse_result(outcome)
    warnings: list[str] = []
    if data is not None and isinstance(data.get("stray"), list) and data["stray"]:
        stray = ", ".join(str(s) for s in data["stray"][:20])
        warnings.append(f"the script wrote files that were discarded: {stray} (figure scripts only draw)")
    if data is not None and "figure" in data and isinstance(data.get("warnings"), list):
        warnings += [f"Graphviz warned: {str(w)[:300]}" for w in data["warnings"][:10]]
    result.notes += [f"{display}: {warning}" for warning in warnings]
    if data is None:
        result.problem = finish.problem_without_result(display, script, outcome, options.timeout, options.memory_mb)
    elif "problem" in data:
        try:
            result.problem = FigureProblem.from_json({**data["problem"], "script": display})
        except TypeError:
            result.problem = FigureProblem(display, errors.UNSAFE, "the render's result is malformed", None, "")
    else:
        try:
            files = finish.entry_files(
                data["figure"],
                icon_px=options.icon_px,
                icon_cache=cache.icons,
                icon_roots=options.icon_roots(),
                warnings=warnings,
            )
        except (UnsafeSvg, SvgError) as exc:
            result.problem = finish.unsafe_problem(display, exc)
        else:
            workspace = cache.workspace(key)
            try:
                for filename, text in files.items():
                    (workspace / filename).write_text(text, encoding="utf-8")
                result.entry = cache.commit(key, workspace)
            finally:
                cache.release(workspace)
            _apply_lint(result, ignore)
    result.seconds = time.perf_counter() - started
    return result


def _apply_lint(result: FigureResult, ignore: tuple[str, ...]) -> None:
    """A figure that breaks an enforced lint rule is a failed figure (its render stays cached)."""
    assert result.entry is not None
    problem = lint_problem(result.script, result.entry, ignore)
    if problem is not None:
        result.problem, result.entry = problem, None


def render_all(options: RenderOptions, only: set[str] | None = None, server: ForkServer | None = None) -> RenderReport:
    """Render all figure scripts (or the named ones) and write the manifest.

    A `server` passed in is used and left running (the caller closes it); otherwise the pass
    starts its own, only if something needs rendering, and stops it at the end.
    """
    options.validate()
    cache = FigureCache(options.cache_dir)
    report = RenderReport()
    report.swept = cache.sweep()
    style = (options.scripts_dir / options.style_module).read_bytes()
    ignore = tuple(options.lint_ignore) + pending_rules(style)
    scripts = discover(options.scripts_dir, options.style_module)
    jobs = []
    for name, script in scripts.items():
        if only is not None and name not in only:
            continue
        if not NAME_PATTERN.match(name):
            report.results[name] = FigureResult(
                name,
                script,
                "",
                problem=FigureProblem(
                    relative_to_cwd(script),
                    errors.INVALID_NAME,
                    f"'{name}' is not a valid figure name",
                    None,
                    "rename the script to lower case letters, digits, '_' and '-'",
                ),
            )
            continue
        key = cache_key(script.read_bytes(), style, options.key_options())
        jobs.append((name, script, key))

    sandboxed, report.sandbox = sandbox.sandbox_status()
    own_server = server is None
    pass_server = ForkServer() if server is None and not sandboxed else server
    try:
        with ThreadPoolExecutor(max_workers=options.worker_count) as pool:
            futures = [
                pool.submit(render_one, name, script, key, cache, options, pass_server, sandboxed, ignore)
                for name, script, key in jobs
            ]
            for future in futures:
                result = future.result()
                report.results[result.name] = result
    finally:
        if own_server and pass_server is not None:
            pass_server.close()

    records = {name: manifest_record(r) for name, r in report.results.items()}
    if only is not None:
        # A partial render keeps what the manifest says about the other figures that still exist.
        previous = read_manifest(cache.root / MANIFEST_FILE)
        records = {**{n: r for n, r in previous.items() if n in scripts}, **records}
    report.manifest = cache.write_manifest(records)
    return report


def manifest_record(result: FigureResult) -> dict[str, Any]:
    """What the Markdown extension and site glue need to know about one figure."""
    record: dict[str, Any] = {"script": relative_to_cwd(result.script), "key": result.key}
    if result.entry is not None:
        record["status"] = "ok"
        record["light"] = str(result.entry.light_svg.resolve())
        record["dark"] = str(result.entry.dark_svg.resolve())
        record["meta"] = result.entry.meta()
    else:
        record["status"] = "error"
        record["problem"] = result.problem.to_json() if result.problem else None
    return record


def copy_figures(report: RenderReport, out_dir: Path) -> list[Path]:
    """Copy rendered figures to `out_dir` as `<name>.svg` and `<name>.dark.svg`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, result in sorted(report.results.items()):
        if result.entry is None:
            for stale in (f"{name}.svg", f"{name}.dark.svg"):  # never leave the last good picture of a broken script
                (out_dir / stale).unlink(missing_ok=True)
            continue
        for source, target in ((result.entry.light_svg, f"{name}.svg"), (result.entry.dark_svg, f"{name}.dark.svg")):
            shutil.copyfile(source, out_dir / target)
            written.append(out_dir / target)
    return written
