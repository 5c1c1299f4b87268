"""One job protocol: a render asked of the fork server and of a fresh interpreter is the same job,
and gives the same result (`launch.py`, `forkserver.py`, `runner.RenderJob`)."""

from __future__ import annotations

import json
from pathlib import Path

from figure_pipeline import finish
from figure_pipeline.forkserver import ForkServer
from figure_pipeline.launch import render_job, run_fresh
from figure_pipeline.runner import RenderJob
from figure_pipeline.sandbox import Limits
from helpers import GOOD_SCRIPT, options


def test_a_job_survives_its_json_form() -> None:
    job = RenderJob(
        "/repo/diagrams/x.py", "diagrams/x.py", 12.5, Limits(memory_mb=512, cpu_seconds=22), ".venv/bin/python"
    )
    assert RenderJob.from_json(json.loads(json.dumps(job.to_json()))) == job


def test_the_job_carries_the_options_limits_and_a_relative_name(tmp_path: Path) -> None:
    opts = options(tmp_path, {"fig": GOOD_SCRIPT}, timeout=7, memory_mb=600)
    job = render_job(opts.scripts_dir / "fig.py", opts)
    assert job.script == str((opts.scripts_dir / "fig.py").resolve()) and job.timeout == 7
    assert job.limits == opts.limits() and job.limits.memory_mb == 600


def test_fork_server_and_fresh_interpreter_hand_back_the_same_result(tmp_path: Path) -> None:
    opts = options(tmp_path, {"fig": GOOD_SCRIPT})
    job = render_job(opts.scripts_dir / "fig.py", opts)
    fresh = run_fresh(job, opts, sandboxed=False)
    server = ForkServer()
    try:
        forked = server.run(job.to_json(), opts.deadline)
    finally:
        server.close()
    assert forked is not None, "the fork server did not run the job"
    results = [finish.parse_result(outcome) for outcome in (fresh, forked)]
    assert results[0] is not None and "figure" in results[0], fresh.log
    assert results[0] == results[1]
