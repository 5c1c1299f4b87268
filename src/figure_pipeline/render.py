"""Render every figure script, in parallel sandboxed subprocesses, through the cache.

Each script runs in its own process (`runner.py`) inside its own bubblewrap sandbox (see
`sandbox.py`): read-only file system, private temporary working directory, no network, a minimal
environment, its own PID namespace, resource limits and a timeout, so a hanging, crashing or
hostile script can hurt neither the build nor another figure. It hands back the title, the graph
model and Graphviz's SVG; this process cleans that SVG, embeds the icons and writes the cache
entry (`finish.py`), so nothing a script writes reaches the cache or the site unchecked. Threads
only wait on those processes, so one thread per core keeps every core busy.

Without bubblewrap (macOS, no user namespaces) renders are forked from a server that has
already imported `diagrams` (`forkserver.py`), with the same limits and clean environment; the
build log says so once. `FIGURE_PIPELINE_FORKSERVER=0` starts a fresh interpreter per render.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors, finish, lint, sandbox
from .cache import CacheEntry, FigureCache, cache_key, graphviz_version, read_manifest
from .errors import FigureProblem
from .forkserver import RESULT_FILE, STDERR_FILE
from .sanitize import UnsafeSvg
from .svg import SvgError

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class RenderOptions:
    """Where the scripts are, where the cache lives, and how to run renders."""

    scripts_dir: Path
    cache_dir: Path
    style_module: str = "house_style.py"
    workers: int = 0  # 0 means one per core
    timeout: float = 60.0
    icon_px: int = 160
    memory_mb: int = sandbox.MEMORY_MB
    lint_ignore: tuple[str, ...] = ()  # figure-lint rules not enforced (see lint.RULES)
    project_dir: Path | None = None  # read-only in the sandbox; default: the scripts folder's parent

    def validate(self) -> None:
        """Raise ValueError naming the bad option and what to use instead."""
        if not self.scripts_dir.is_dir():
            raise ValueError(f"scripts_dir '{self.scripts_dir}' is not a directory; point it at the figure scripts")
        if not (self.scripts_dir / self.style_module).is_file():
            raise ValueError(
                f"style_module '{self.style_module}' not found in '{self.scripts_dir}'; "
                "name the house-style file that figure scripts import"
            )
        if self.workers < 0:
            raise ValueError(f"workers must be 0 (one per core) or more, not {self.workers}")
        if not 0 < self.timeout <= 3600:
            raise ValueError(f"timeout must be between 0 and 3600 seconds, not {self.timeout}")
        if not 16 <= self.icon_px <= 1024:
            raise ValueError(f"icon_px must be between 16 and 1024, not {self.icon_px}")
        if not 256 <= self.memory_mb <= 65536:
            raise ValueError(f"memory_limit must be between 256 and 65536 MiB, not {self.memory_mb}")
        unknown = sorted(set(self.lint_ignore) - set(lint.RULES))
        if unknown:
            raise ValueError(f"lint_ignore names unknown rules {unknown}; the rules are: {', '.join(lint.RULES)}")
        if shutil.which("dot") is None:
            raise ValueError(f"Graphviz is not installed: the `dot` program is not on PATH; {errors.INSTALL_DOT}")
        graphviz_version()  # raises GraphvizMissing (a ValueError) when `dot` does not run

    def limits(self) -> sandbox.Limits:
        """The resource limits of one render under these options."""
        return sandbox.Limits(memory_mb=self.memory_mb, cpu_seconds=int(self.timeout) + 10)

    def read_only_paths(self) -> list[Path]:
        """What a render may read besides the system: the project and its scripts."""
        project = self.project_dir or self.scripts_dir.resolve().parent
        return [project.resolve(), self.scripts_dir.resolve()]

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1

    def key_options(self) -> dict[str, Any]:
        """The options that change rendered output (and so belong in the cache key)."""
        return {"icon_px": self.icon_px}


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


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _runner_args(script: Path, options: RenderOptions) -> list[str]:
    return [
        str(script.resolve()),
        _display(script),
        str(options.timeout),
        options.limits().to_arg(),
        finish.python_display(),
    ]


def _deadline(options: RenderOptions) -> float:
    return options.timeout + 15  # the runner's own timeout names the line; this backstop never fails


def _run_runner(script: Path, options: RenderOptions, sandboxed: bool) -> sandbox.Outcome:
    """Run the render in a fresh interpreter: inside bubblewrap, or (fallback) in its own session."""
    command = [sys.executable, "-m", "figure_pipeline.runner", *_runner_args(script, options)]
    with tempfile.TemporaryDirectory(prefix="figure-") as cwd:
        if sandboxed:
            command = [*sandbox.bwrap_command(options.read_only_paths()), *command]
            env = sandbox.minimal_env(sandbox.WORKDIR)
        else:
            env = sandbox.minimal_env(cwd)
        return sandbox.run(command, env=env, cwd=Path(cwd), deadline=_deadline(options), sandboxed=sandboxed)


class ForkServer:
    """A fork server (see `forkserver.py`), started on first use; used only without bubblewrap.

    Inside the sandbox each render is its own bubblewrap instance with a fresh interpreter, since
    children of one server would share a PID namespace and a file system view. Without bubblewrap
    (macOS), the server saves the imports. `render_all` makes one per render pass; a long-lived
    caller such as `mkdocs serve` may pass its own to every pass. When the server dies, figures
    in flight are not blamed: `run` returns None and the caller renders them again the ordinary way.
    """

    def __init__(self) -> None:
        self._start_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._cond = threading.Condition()
        self._proc: subprocess.Popen[bytes] | None = None
        self._broken = os.environ.get("FIGURE_PIPELINE_FORKSERVER", "1") == "0" or not hasattr(os, "fork")
        self._pids: dict[int, int] = {}
        self._exits: dict[int, int] = {}
        self._jobs = 0

    def _start(self) -> bool:
        with self._start_lock:
            if self._proc is None and not self._broken:
                try:
                    self._proc = subprocess.Popen(
                        [sys.executable, "-m", "figure_pipeline.forkserver"],
                        env=sandbox.minimal_env(tempfile.gettempdir()),
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                except OSError:
                    self._broken = True
                else:
                    threading.Thread(target=self._read, args=(self._proc,), daemon=True).start()
            return not self._broken

    def _read(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            with self._cond:
                if "pid" in message:
                    self._pids[message["job"]] = message["pid"]
                else:
                    self._exits[message["job"]] = message["exit"]
                self._cond.notify_all()
        with self._cond:
            self._broken = True  # the server is gone: later renders start their own interpreter
            self._cond.notify_all()

    def run(self, script: Path, options: RenderOptions) -> sandbox.Outcome | None:
        """Render in a forked child, or None when the server cannot be used (or died meanwhile)."""
        if not self._start():
            return None
        with self._cond:
            job, self._jobs = self._jobs, self._jobs + 1
        with tempfile.TemporaryDirectory(prefix="figure-") as cwd:
            request = {"job": job, "argv": _runner_args(script, options), "cwd": cwd}
            try:
                with self._write_lock:
                    assert self._proc is not None and self._proc.stdin is not None
                    self._proc.stdin.write((json.dumps(request) + "\n").encode())
                    self._proc.stdin.flush()
            except (OSError, ValueError):
                return None
            timed_out = False
            with self._cond:
                self._cond.wait_for(lambda: job in self._exits or self._broken, timeout=_deadline(options))
                if job not in self._exits:
                    pid = self._pids.get(job)
                    if self._broken:
                        if pid is not None:
                            sandbox.kill_group(pid)
                        return None  # the server died, not this figure: render it again
                    if pid is not None:
                        sandbox.kill_group(pid)
                    timed_out = True
                    self._cond.wait_for(lambda: job in self._exits or self._broken, timeout=15)
                returncode = self._exits.pop(job, -signal.SIGKILL)
            result, overflow = _read_head(Path(cwd) / RESULT_FILE, sandbox.RESULT_CAP)
            log, _ = _read_tail(Path(cwd) / STDERR_FILE, sandbox.LOG_CAP)
        return sandbox.Outcome(returncode, result, overflow, log.decode(errors="replace"), timed_out, False)

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def close(self) -> None:
        with self._start_lock:
            proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError, ValueError):
            assert proc.stdin is not None
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _read_head(path: Path, cap: int) -> tuple[bytes, bool]:
    try:
        with path.open("rb") as handle:
            data = handle.read(cap + 1)
    except OSError:
        return b"", False
    return data[:cap], len(data) > cap


def _read_tail(path: Path, cap: int) -> tuple[bytes, bool]:
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - cap))
            return handle.read(cap), size > cap
    except OSError:
        return b"", False


def _icon_roots(options: RenderOptions) -> list[Path]:
    import diagrams

    return [Path(diagrams.__file__).resolve().parent.parent / "resources", *options.read_only_paths()]


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
    import ast

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
    return FigureProblem(_display(script), errors.LINT, lint.describe(found), None, lint.fixes(found))


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
    display = _display(script)
    entry, corrupt = cache.verified(key)
    if entry is not None:
        result.entry, result.cached = entry, True
        result.notes = _recorded_warnings(entry, display)
        _apply_lint(result, ignore)
        return result
    if corrupt:
        result.notes.append(f"{display}: the cached figure was corrupt ({corrupt}); dropped and rendered again")
    outcome = None if sandboxed or server is None else server.run(script, options)
    if outcome is None:
        outcome = _run_runner(script, options, sandboxed)
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
                icon_roots=_icon_roots(options),
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
                    _display(script),
                    errors.EXCEPTION,
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
        previous = read_manifest(cache.root / "manifest.json")
        records = {**{n: r for n, r in previous.items() if n in scripts}, **records}
    report.manifest = cache.write_manifest(records)
    return report


def manifest_record(result: FigureResult) -> dict[str, Any]:
    """What the Markdown extension and site glue need to know about one figure."""
    record: dict[str, Any] = {"script": _display(result.script), "key": result.key}
    if result.entry is not None:
        record["status"] = "ok"
        record["light"] = str(result.entry.light_svg.resolve())
        record["dark"] = str(result.entry.dark_svg.resolve())
        record["meta"] = result.entry.meta()
    else:
        record["status"] = "error"
        record["problem"] = result.problem.to_json() if result.problem else None
    return record


def publish(report: RenderReport, out_dir: Path) -> list[Path]:
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
