"""Render every figure script, in parallel subprocesses, through the cache.

Each script runs in its own Python process (`runner.py`) with a private temporary working
directory, `show=False` forced and a timeout, so a hanging or crashing script cannot take the
build down with it. Threads only wait on those processes, so one thread per core keeps every
core busy.

Those processes are forked from a server that has already imported `diagrams` and Pillow
(`forkserver.py`), which halves the cost of a typical render. The server is started only when
a pass has something to render; where it cannot run (no `fork`, or it fails), or when
`FIGURE_PIPELINE_FORKSERVER=0` is set, each render starts a fresh interpreter instead.
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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors, lint
from .cache import CacheEntry, FigureCache, cache_key, read_manifest
from .errors import FigureProblem
from .forkserver import STDERR_FILE

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HANG_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


@dataclass(frozen=True)
class RenderOptions:
    """Where the scripts are, where the cache lives, and how to run renders."""

    scripts_dir: Path
    cache_dir: Path
    style_module: str = "house_style.py"
    workers: int = 0  # 0 means one per core
    timeout: float = 60.0
    icon_px: int = 160
    lint_ignore: tuple[str, ...] = ()  # figure-lint rules not enforced (see lint.RULES)

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
        unknown = sorted(set(self.lint_ignore) - set(lint.RULES))
        if unknown:
            raise ValueError(f"lint_ignore names unknown rules {unknown}; the rules are: {', '.join(lint.RULES)}")

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


@dataclass
class RenderReport:
    """All results of one render pass, by figure name."""

    results: dict[str, FigureResult] = field(default_factory=dict)
    manifest: Path | None = None

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


def _problem_from_run(script: Path, workspace: Path, returncode: int, stderr: str) -> FigureProblem:
    problem_file = workspace / "problem.json"
    if problem_file.is_file():
        return FigureProblem.from_json(json.loads(problem_file.read_text(encoding="utf-8")))
    hang = (
        (workspace / "hang.txt").read_text(encoding="utf-8", errors="replace")
        if (workspace / "hang.txt").exists()
        else ""
    )
    if "Timeout" in hang or "Thread" in hang:
        line = None
        for match in _HANG_FRAME.finditer(hang):
            if Path(match.group("file")).resolve() == script.resolve():
                line = int(match.group("line"))
                break  # faulthandler lists the innermost frame first
        return FigureProblem(
            _display(script),
            errors.TIMEOUT,
            "the script did not finish in time (killed)",
            line,
            "look for an endless loop or a blocking call at that line, or raise the timeout option",
        )
    tail = "\n".join(stderr.strip().splitlines()[-5:]) or f"exit code {returncode}"
    return FigureProblem(_display(script), errors.CRASH, f"the render process crashed: {tail}", None, "")


def _runner_args(script: Path, workspace: Path, options: RenderOptions) -> list[str]:
    return [
        str(script.resolve()),
        _display(script),
        str(workspace),
        str(options.timeout),
        str(options.icon_px),
        str(FigureCache(options.cache_dir).icons),
    ]


def _runner_env() -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}


def _backstop(workspace: Path) -> None:
    (workspace / "hang.txt").write_text("Timeout (backstop)\n", encoding="utf-8")


def _run_runner(script: Path, workspace: Path, options: RenderOptions) -> tuple[int, str]:
    """Run the render in a fresh interpreter: `python -m figure_pipeline.runner ...`."""
    command = [sys.executable, "-m", "figure_pipeline.runner", *_runner_args(script, workspace, options)]
    proc = subprocess.Popen(
        command,
        cwd=workspace,
        env=_runner_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=options.timeout + 15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        _backstop(workspace)
    return proc.returncode, err.decode(errors="replace")


class ForkServer:
    """A fork server (see `forkserver.py`), started on first use.

    `render_all` makes one per render pass; a long-lived caller such as `mkdocs serve` may pass
    its own to every pass, so a figure edit does not pay for importing `diagrams` again.
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
                        env=_runner_env(),
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

    def run(self, script: Path, workspace: Path, options: RenderOptions) -> tuple[int, str] | None:
        """Render in a forked child: (exit code, stderr), or None when the server cannot be used."""
        if not self._start():
            return None
        with self._cond:
            job, self._jobs = self._jobs, self._jobs + 1
        request = {"job": job, "argv": _runner_args(script, workspace, options), "cwd": str(workspace)}
        try:
            with self._write_lock:
                assert self._proc is not None and self._proc.stdin is not None
                self._proc.stdin.write((json.dumps(request) + "\n").encode())
                self._proc.stdin.flush()
        except (OSError, ValueError):
            return None
        with self._cond:
            self._cond.wait_for(lambda: job in self._exits or self._broken, timeout=options.timeout + 15)
            if job not in self._exits:
                pid = self._pids.get(job)
                if self._broken and pid is None:
                    return None  # never started: run it the ordinary way
                if pid is not None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(pid, signal.SIGKILL)
                self._cond.wait_for(lambda: job in self._exits or self._broken, timeout=15)
                _backstop(workspace)
            returncode = self._exits.pop(job, -signal.SIGKILL)
        err_file = workspace / STDERR_FILE
        try:
            err = err_file.read_text(encoding="utf-8", errors="replace")
            err_file.unlink()
        except OSError:
            err = ""
        return returncode, err

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
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "LINT_PENDING" for t in node.targets):
            try:
                value = ast.literal_eval(node.value)
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
    ignore: tuple[str, ...] = (),
) -> FigureResult:
    """Render one script unless the cache already holds its key; `ignore` lists lint rules not enforced."""
    started = time.perf_counter()
    result = FigureResult(name, script, key)
    entry = cache.lookup(key)
    if entry is not None:
        result.entry, result.cached = entry, True
        _apply_lint(result, ignore)
        return result
    workspace = cache.workspace(key)
    try:
        outcome = server.run(script, workspace, options) if server is not None else None
        returncode, stderr = outcome if outcome is not None else _run_runner(script, workspace, options)
        if returncode == 0 and (workspace / "meta.json").is_file():
            result.entry = cache.commit(key, workspace)
            _apply_lint(result, ignore)
        else:
            result.problem = _problem_from_run(script, workspace, returncode, stderr)
    finally:
        if workspace.exists():
            shutil.rmtree(workspace, ignore_errors=True)
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
    style = (options.scripts_dir / options.style_module).read_bytes()
    scripts = discover(options.scripts_dir, options.style_module)
    ignore = tuple(options.lint_ignore) + pending_rules(style)
    report = RenderReport()
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

    own_server = server is None
    pass_server = ForkServer() if server is None else server
    try:
        with ThreadPoolExecutor(max_workers=options.worker_count) as pool:
            futures = [
                pool.submit(render_one, name, script, key, cache, options, pass_server, ignore)
                for name, script, key in jobs
            ]
            for future in futures:
                result = future.result()
                report.results[result.name] = result
    finally:
        if own_server:
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
            continue
        for source, target in ((result.entry.light_svg, f"{name}.svg"), (result.entry.dark_svg, f"{name}.dark.svg")):
            shutil.copyfile(source, out_dir / target)
            written.append(out_dir / target)
    return written
