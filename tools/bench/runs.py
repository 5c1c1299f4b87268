"""Shared helpers of the bench: its work folder, measured subprocess runs, medians and plain-text tables
(the repository paths are `tools.common`'s)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..common import ROOT

BENCH_DIR = ROOT / ".cache" / "bench"


def base_env(**extra: str) -> dict[str, str]:
    """The environment for every measured command."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.update(extra)
    return env


@dataclass(frozen=True)
class Run:
    """One measured command: wall-clock and CPU seconds, peak RSS and how it ended.

    CPU time (user + system, of the command and the subprocesses it waited for) is much less
    disturbed by other work on a shared machine than wall-clock time, so it is reported too.
    """

    seconds: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    log: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_measured(
    command: Sequence[str], *, cwd: Path, log_path: Path, env: dict[str, str] | None = None, timeout: float = 3600
) -> Run:
    """Run `command`, timing it from start to exit; peak RSS comes from `wait4`.

    The kernel reports the largest resident set of the process and of the children it waited
    for (for a build: `mkdocs` itself or one of its render subprocesses, whichever is larger).
    """
    with log_path.open("w", encoding="utf-8") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env or base_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, text)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> str:
    """'min-max' of a series, for the tables."""
    return f"{min(values):.2f}-{max(values):.2f}" if values else "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> str:
    """A plain-text table with right-aligned numbers."""
    cells = [[str(c) for c in headers], *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(_is_number(row[i]) for row in rows) and bool(rows) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(parts).rstrip()

    out = [title, "=" * len(title)] if title else []
    out += [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells[1:]]
    return "\n".join(out) + "\n"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def say(message: str) -> None:
    """Progress on stderr, so stdout holds just the tables."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
