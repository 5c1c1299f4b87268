"""Render every figure script, in parallel subprocesses, through the cache.

Each script runs in its own Python process (`runner.py`) with a private temporary working
directory, `show=False` forced and a timeout, so a hanging or crashing script cannot take the
build down with it. Threads only wait on those processes, so one thread per core keeps every
core busy.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors
from .cache import CacheEntry, FigureCache, cache_key, read_manifest
from .errors import FigureProblem

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
        return FigureProblem.from_json(__import__("json").loads(problem_file.read_text(encoding="utf-8")))
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


def _run_runner(script: Path, workspace: Path, options: RenderOptions) -> tuple[int, str]:
    command = [
        sys.executable,
        "-m",
        "figure_pipeline.runner",
        str(script.resolve()),
        _display(script),
        str(workspace),
        str(options.timeout),
        str(options.icon_px),
    ]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen(
        command,
        cwd=workspace,
        env=env,
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
        (workspace / "hang.txt").write_text("Timeout (backstop)\n", encoding="utf-8")
    return proc.returncode, err.decode(errors="replace")


def render_one(name: str, script: Path, key: str, cache: FigureCache, options: RenderOptions) -> FigureResult:
    """Render one script unless the cache already holds its key."""
    started = time.perf_counter()
    result = FigureResult(name, script, key)
    entry = cache.lookup(key)
    if entry is not None:
        result.entry, result.cached = entry, True
        return result
    workspace = cache.workspace(key)
    try:
        returncode, stderr = _run_runner(script, workspace, options)
        if returncode == 0 and (workspace / "meta.json").is_file():
            result.entry = cache.commit(key, workspace)
        else:
            result.problem = _problem_from_run(script, workspace, returncode, stderr)
    finally:
        if workspace.exists():
            shutil.rmtree(workspace, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def render_all(options: RenderOptions, only: set[str] | None = None) -> RenderReport:
    """Render all figure scripts (or the named ones) and write the manifest."""
    options.validate()
    cache = FigureCache(options.cache_dir)
    style = (options.scripts_dir / options.style_module).read_bytes()
    scripts = discover(options.scripts_dir, options.style_module)
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

    with ThreadPoolExecutor(max_workers=options.worker_count) as pool:
        futures = [pool.submit(render_one, name, script, key, cache, options) for name, script, key in jobs]
        for future in futures:
            result = future.result()
            report.results[result.name] = result

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
