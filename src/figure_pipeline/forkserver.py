"""A warm parent for render processes where bubblewrap is unavailable: import once, fork per script.

Starting Python and importing `diagrams`, its Graphviz bindings and Pillow costs about as much
CPU as rendering a typical figure. `render.py` starts this server once per render pass, and only
when some figure is not in the cache. Every script still runs in a process of its own: a fresh
fork of this server, in a new session, with its own working directory and time limit. The
server itself never runs a figure script, so no script can see another's state.

Protocol, one JSON object per line. Requests on stdin: `{"job": n, "argv": [...], "cwd": "..."}`,
where `argv` is what `python -m figure_pipeline.runner` would get. Replies on stdout:
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
import sys
import traceback
from typing import Any, NoReturn

PRELOAD = ("figure_pipeline.runner", "diagrams")
LOG_CAP = 64 * 1024  # the last bytes of a child's stderr that are kept
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


def _child(argv: list[str], cwd: str, err: int, inherited: list[int]) -> NoReturn:
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

        code = runner.main(argv)
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
                    _child(request["argv"], request["cwd"], err_w, [wake_r, wake_w, err_r, *others])
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
            log = logs.pop(pid, None)
            if log is not None:
                log.finish()
            if job is not None:
                _send({"job": job, "exit": os.waitstatus_to_exitcode(status)})
    return 0


if __name__ == "__main__":
    sys.exit(serve())
