"""A warm parent for render processes where bubblewrap is unavailable: import once, fork per script.

Both halves of the protocol live here: the server (`serve`, run as `python -m
figure_pipeline.forkserver`) and its client in the build (`ForkServer`).

Starting Python and importing `diagrams`, its Graphviz bindings and Pillow costs about as much
CPU as rendering a typical figure. A render pass starts this server once, and only
when some figure is not in the cache. Every script still runs in a process of its own: a fresh
fork of this server, in a new session, with its own working directory and time limit. The
server itself never runs a figure script, so no script can see another's state.

Protocol, one JSON object per line. Requests on stdin: `{"job": n, "spec": {...}, "cwd": "..."}`,
where `spec` is a `runner.RenderJob` as JSON, exactly what `python -m figure_pipeline.runner`
gets in a fresh interpreter. Replies on stdout:
`{"job": n, "pid": p}` once the child exists, then `{"job": n, "exit": code}` when it has ended
(a negative code is the signal that killed it, as in `subprocess`). The child's stdout (the
runner's result) goes to `result.json` and its stderr to `stderr.txt` in its working directory,
both bounded by the render's file-size limit; the parent reads only their first (result) or last
(log) bytes. When a child ends, whatever is left in its process group is killed. At end of input
the server kills the children it still has and exits, so it never outlives the render pass (or
`mkdocs serve`) that started it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Any, NoReturn

from . import sandbox
from .sandbox import LOG_CAP, RESULT_CAP, Outcome

PRELOAD = ("figure_pipeline.runner", "diagrams")
STDERR_FILE = "stderr.txt"
RESULT_FILE = "result.json"


def _exit_code(code: Any) -> int:
    """The status the interpreter would exit with for `SystemExit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _child(spec: dict[str, Any], cwd: str, err: int, inherited: list[int]) -> NoReturn:
    """Run one render in this (forked) process and exit with its status; never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in inherited:  # the server's wake-up pipe and the other renders' log pipes
            os.close(fd)
        os.setsid()  # its own process group, so a timeout can kill it and anything it started
        os.chdir(cwd)
        out = os.open(RESULT_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(out, 1)  # the protocol pipe stays the server's alone
        os.dup2(err, 2)
        for fd in (null, out, err):
            os.close(fd)
        from . import runner

        code = runner.run_job(runner.RenderJob.from_json(spec))
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


class _Log:
    """A child's stderr pipe, of which only the last `LOG_CAP` bytes are kept (in memory)."""

    def __init__(self, fd: int, cwd: str) -> None:
        self.fd, self.cwd, self.tail = fd, cwd, bytearray()

    def drain(self) -> None:
        while self.fd >= 0:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                os.close(self.fd)
                self.fd = -1
                return
            self.tail += chunk
            del self.tail[:-LOG_CAP]

    def finish(self) -> None:
        """Read what is left, write the tail to `stderr.txt` in the child's folder, close the pipe."""
        self.drain()
        if self.fd >= 0:
            os.close(self.fd)  # something that escaped the group still holds it: stop listening
            self.fd = -1
        with contextlib.suppress(OSError), open(os.path.join(self.cwd, STDERR_FILE), "wb") as handle:
            handle.write(self.tail)


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve() -> int:
    """Run the server until its standard input ends; the exit status."""
    for name in PRELOAD:
        importlib.import_module(name)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)  # SIGCHLD wakes the select below at once
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    stdin = sys.stdin.fileno()
    children: dict[int, int] = {}  # pid -> job
    logs: dict[int, _Log] = {}  # pid -> its stderr pipe
    pending = b""
    reading = True
    while reading or children:
        waiting = ([stdin, wake_r] if reading else [wake_r]) + [log.fd for log in logs.values() if log.fd >= 0]
        ready, _, _ = select.select(waiting, [], [], 1.0)
        if wake_r in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_r, 4096)
        for log in logs.values():
            if log.fd in ready:
                log.drain()
        if stdin in ready:
            chunk = os.read(stdin, 65536)
            if not chunk:
                reading = False
                for pid in children:  # the render pass is over (or its process died)
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pid, signal.SIGKILL)
            pending += chunk
            while b"\n" in pending:
                line, _, pending = pending.partition(b"\n")
                request = json.loads(line)
                err_r, err_w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    others = [log.fd for log in logs.values() if log.fd >= 0]
                    _child(request["spec"], request["cwd"], err_w, [wake_r, wake_w, err_r, *others])
                os.close(err_w)
                os.set_blocking(err_r, False)
                logs[pid] = _Log(err_r, request["cwd"])
                children[pid] = request["job"]
                _send({"job": request["job"], "pid": pid})
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            job = children.pop(pid, None)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)  # anything the script left running in its group
            finished = logs.pop(pid, None)
            if finished is not None:
                finished.finish()
            if job is not None:
                _send({"job": job, "exit": os.waitstatus_to_exitcode(status)})
    return 0


class ForkServer:
    """The build's end of a fork server, started on first use; used only without bubblewrap.

    Inside the sandbox each render is its own bubblewrap instance with a fresh interpreter, since
    children of one server would share a PID namespace and a file system view. Without bubblewrap
    (macOS), the server saves the imports. `render_all` makes one per render pass; a long-lived
    caller such as `mkdocs serve` may pass its own to every pass. When the server dies, figures
    in flight are not blamed: `run` returns None and the caller renders them again the ordinary way.
    """

    def __init__(self) -> None:
        self._start_lock = threading.Lock()  # guards starting and closing `_proc`
        self._write_lock = threading.Lock()  # one request line at a time on the server's stdin
        self._cond = threading.Condition()  # guards `_pids`, `_exits`, `_jobs`, `_unusable`; signals replies
        self._proc: subprocess.Popen[bytes] | None = None
        # True when the server is switched off (by the environment), cannot start, or has died.
        self._unusable = os.environ.get("FIGURE_PIPELINE_FORKSERVER", "1") == "0" or not hasattr(os, "fork")
        self._pids: dict[int, int] = {}
        self._exits: dict[int, int] = {}
        self._jobs = 0

    def _start(self) -> bool:
        with self._start_lock:
            if self._proc is None and not self._unusable:
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
                    self._unusable = True
                else:
                    threading.Thread(target=self._read, args=(self._proc,), daemon=True).start()
            return not self._unusable

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
            self._unusable = True  # the server is gone: later renders start their own interpreter
            self._cond.notify_all()

    def run(self, spec: dict[str, Any], deadline: float) -> Outcome | None:
        """Run the job `spec` (a `RenderJob` as JSON) in a forked child, killed after `deadline`
        seconds; None when the server cannot be used (or died meanwhile)."""
        if not self._start():
            return None
        with self._cond:
            job, self._jobs = self._jobs, self._jobs + 1
        with tempfile.TemporaryDirectory(prefix="figure-") as cwd:
            request = {"job": job, "spec": spec, "cwd": cwd}
            try:
                with self._write_lock:
                    assert self._proc is not None and self._proc.stdin is not None
                    self._proc.stdin.write((json.dumps(request) + "\n").encode())
                    self._proc.stdin.flush()
            except (OSError, ValueError):
                return None
            timed_out = False
            with self._cond:
                self._cond.wait_for(lambda: job in self._exits or self._unusable, timeout=deadline)
                if job not in self._exits:
                    pid = self._pids.get(job)
                    if self._unusable:
                        if pid is not None:
                            sandbox.kill_group(pid)
                        return None  # the server died, not this figure: render it again
                    if pid is not None:
                        sandbox.kill_group(pid)
                    timed_out = True
                    self._cond.wait_for(lambda: job in self._exits or self._unusable, timeout=15)
                returncode = self._exits.pop(job, -signal.SIGKILL)
            result, overflow = _read_head(Path(cwd) / RESULT_FILE, RESULT_CAP)
            log, _ = _read_tail(Path(cwd) / STDERR_FILE, LOG_CAP)
        return Outcome(returncode, result, overflow, log.decode(errors="replace"), timed_out, False)

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def close(self) -> None:
        """Stop the server (it kills the children it still has) and wait for it."""
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


if __name__ == "__main__":
    sys.exit(serve())
