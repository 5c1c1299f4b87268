"""Start one render process and collect what it hands back: the job, and where it runs.

A render runs `runner.RenderJob` in a process of its own, in one of three ways: a fresh
interpreter inside bubblewrap (whenever the sandbox is available), a child of the fork server
(`forkserver.py`, without bubblewrap), or a fresh interpreter in its own session (the fork
server is switched off with `FIGURE_PIPELINE_FORKSERVER=0`, or has died). All three get the same
job, the same limits and a scrubbed environment, and end in the same `sandbox.Outcome`.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from . import finish, sandbox
from .forkserver import ForkServer
from .options import RenderOptions, relative_to_cwd
from .runner import RenderJob


def render_job(script: Path, options: RenderOptions) -> RenderJob:
    """The job that renders `script` under `options`."""
    return RenderJob(
        script=str(script.resolve()),
        name=relative_to_cwd(script),
        timeout=options.timeout,
        limits=options.limits(),
        python=finish.python_display(),
    )


def run_fresh(job: RenderJob, options: RenderOptions, sandboxed: bool) -> sandbox.Outcome:
    """Run the job in a fresh interpreter: inside bubblewrap, or (fallback) in its own session."""
    command = [sys.executable, "-m", "figure_pipeline.runner", json.dumps(job.to_json())]
    with tempfile.TemporaryDirectory(prefix="figure-") as cwd:
        if sandboxed:
            command = [*sandbox.bwrap_command(options.read_only_paths()), *command]
            env = sandbox.minimal_env(sandbox.WORKDIR)
        else:
            env = sandbox.minimal_env(cwd)
        return sandbox.run(command, env=env, cwd=Path(cwd), deadline=options.deadline, sandboxed=sandboxed)


def run_render(script: Path, options: RenderOptions, server: ForkServer | None, sandboxed: bool) -> sandbox.Outcome:
    """Render `script` in a process of its own, by the fork server when there is one and no sandbox."""
    job = render_job(script, options)
    outcome = None if sandboxed or server is None else server.run(job.to_json(), options.deadline)
    return outcome if outcome is not None else run_fresh(job, options, sandboxed)
