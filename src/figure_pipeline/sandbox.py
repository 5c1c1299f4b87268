"""Run one render process isolated from the build, the repository, the network and other figures.

A figure script is code anyone can send in a pull request, so it runs as untrusted code:

- under bubblewrap (`bwrap`) where it can: every path it may read bound read-only at its own
  place (system libraries, Python, Graphviz, fonts, the project and its scripts), nothing else
  of the file system visible, a private size-limited tmpfs as working directory and home, new
  network, PID, IPC, UTS, cgroup and user namespaces, no capabilities, and `--die-with-parent`:
  when the render ends, its PID namespace ends with it, so no process it started survives;
- always with a minimal, allow-listed environment (never the build's tokens or secrets) and
  resource limits set before the script starts (address space, CPU time, file size, no core
  dumps; see `Limits`);
- with its output read through pipes into bounded buffers (`read_bounded`), so a script that
  prints gigabytes costs the build neither memory nor disk.

Where bubblewrap cannot run (macOS, a kernel without unprivileged user namespaces), renders
fall back to the limits, the scrubbed environment and a kill of the render's whole process
group; `sandbox_status()` says which, and the build says so once. `FIGURE_PIPELINE_SANDBOX`
chooses: `auto` (the default), `require` (fail instead of falling back; CI sets it) or `off`.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import defaults

FILE_MB = 64  # largest file a render may write
TMPFS_MB = 256  # the sandbox's working directory (and /tmp)
RESULT_CAP = 64 * 1024 * 1024  # bytes of result a render may hand back
LOG_CAP = 64 * 1024  # bytes of a render's stderr kept (the last ones: tracebacks come last)
WORKDIR = "/tmp/figure"
ENV_VAR = "FIGURE_PIPELINE_SANDBOX"

# Read-only system paths a render needs: libraries, the interpreter, Graphviz and its fonts.
SYSTEM_PATHS = (
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc/fonts",
    "/etc/ld.so.cache",
    "/etc/alternatives",
    "/var/cache/fontconfig",
)


class SandboxUnavailable(RuntimeError):
    """`FIGURE_PIPELINE_SANDBOX=require` was set, but bubblewrap cannot run here."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one render; the runner applies them to itself before the script runs."""

    memory_mb: int = defaults.MEMORY_MB
    cpu_seconds: int = 75
    file_mb: int = FILE_MB

    def apply(self) -> None:
        """Lower this process's limits (hard and soft: the script cannot raise them again)."""
        mib = 1024 * 1024
        settings = {
            "RLIMIT_AS": self.memory_mb * mib,
            "RLIMIT_FSIZE": self.file_mb * mib,
            "RLIMIT_CORE": 0,
        }
        for name, value in settings.items():
            if hasattr(resource, name):
                with contextlib.suppress(ValueError, OSError):  # macOS refuses some RLIMIT_AS values
                    resource.setrlimit(getattr(resource, name), (value, value))
        # SIGXCPU at the soft limit (named in the report), SIGKILL a few seconds later.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds + 5))


_PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """Make this process the reaper of its orphaned descendants (Linux), so that `kill_descendants`
    finds even a child that started a session of its own. Without bubblewrap this is what keeps a
    script's processes from outliving its render (a hostile script can undo it; the sandbox's PID
    namespace cannot be undone)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def kill_descendants() -> None:
    """SIGKILL every process below this one (Linux; a no-op elsewhere)."""
    if not Path("/proc/self/stat").exists():
        return
    for _ in range(10):  # killed parents hand their children to us: sweep until none are left
        pending, seen = [os.getpid()], []
        while pending:
            kids = _children(pending.pop())
            seen += kids
            pending += kids
        if not seen:
            return
        for pid in seen:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in seen:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)
        import time

        time.sleep(0.05)


def minimal_env(home: str) -> dict[str, str]:
    """The whole environment of a render: an allowlist, never the build's own variables."""
    dot = shutil.which("dot")
    path = ["/usr/local/bin", "/usr/bin", "/bin"]
    if dot and str(Path(dot).parent) not in path:
        path.insert(0, str(Path(dot).parent))
    return {
        "PATH": os.pathsep.join(path),
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(package_root()),
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def package_root() -> Path:
    """The folder that holds the `figure_pipeline` package (so a render can import it)."""
    return Path(__file__).resolve().parent.parent


def _python_paths() -> list[Path]:
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent}
    import diagrams  # the library and its icons may live outside both prefixes (user installs)

    paths.add(Path(diagrams.__file__).resolve().parent.parent)
    return sorted(paths)


def bwrap_command(read_only: list[Path]) -> list[str]:
    """The bubblewrap prefix for one render: read-only binds, private tmpfs, no network."""
    bwrap = shutil.which("bwrap") or "bwrap"
    command = [
        bwrap,
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "figure",
        # The private tmpfs first: a project that lives under /tmp is bound on top of it, not hidden.
        "--size",
        str(TMPFS_MB * 1024 * 1024),
        "--tmpfs",
        "/tmp",
        "--dir",
        WORKDIR,
    ]
    for path in SYSTEM_PATHS:
        command += ["--ro-bind-try", path, path]
    dot = shutil.which("dot")
    extra = [*_python_paths(), package_root(), *read_only]
    if dot:
        extra.append(Path(dot).resolve().parent.parent)
    for folder in sorted({p.resolve() for p in extra}):
        if folder == Path(WORKDIR) or folder in Path(WORKDIR).parents:
            continue  # "/" or "/tmp" would hide the private working directory (and show everything)
        command += ["--ro-bind-try", str(folder), str(folder)]
    command += ["--dev", "/dev", "--proc", "/proc", "--chdir", WORKDIR]
    return command


def mode() -> str:
    """`auto`, `require` or `off`, from FIGURE_PIPELINE_SANDBOX."""
    value = os.environ.get(ENV_VAR, "auto").strip().lower() or "auto"
    return value if value in ("auto", "require", "off") else "auto"


@cache
def _probe() -> str | None:
    """None when bubblewrap works here; otherwise why not."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux (this is {sys.platform})"
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed: sudo apt-get install bubblewrap, or run `make setup`"
    try:
        proc = subprocess.run(
            [*bwrap_command([]), "true"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env=minimal_env(WORKDIR),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap cannot start: {exc}"
    if proc.returncode != 0:
        return f"bubblewrap cannot create a sandbox here: {proc.stderr.strip() or proc.returncode}"
    return None


def sandbox_status() -> tuple[bool, str]:
    """(sandboxed, one line for the build log). Raises SandboxUnavailable under `require`."""
    chosen = mode()
    if chosen == "off":
        return False, f"figure scripts run without a sandbox ({ENV_VAR}=off): limits, clean environment only"
    reason = _probe()
    if reason is None:
        return True, "figure scripts run in a bubblewrap sandbox"
    if chosen == "require":
        raise SandboxUnavailable(f"{ENV_VAR}=require, but {reason}")
    return False, (
        f"figure scripts run WITHOUT a sandbox: {reason}. They still get resource limits, a clean "
        "environment and a process-group kill, but can read and write what the build user can"
    )


@dataclass
class Captured:
    """What a render process wrote, within the caps."""

    data: bytes = b""
    overflow: bool = False


def read_bounded(stream: object, cap: int, *, keep: str) -> tuple[threading.Thread, Captured]:
    """Drain `stream` on a thread, keeping at most `cap` bytes: the first (`keep="head"`) or the
    last (`keep="tail"`). The rest is read and dropped, so the writer never blocks."""
    captured = Captured()

    def pump() -> None:
        chunks: deque[bytes] = deque()
        size = 0
        read = stream.read1 if hasattr(stream, "read1") else stream.read  # type: ignore[attr-defined]
        while True:
            try:
                chunk = read(65536)
            except (OSError, ValueError):
                break
            if not chunk:
                break
            if keep == "head":
                if size < cap:
                    chunks.append(chunk[: cap - size])
                if size + len(chunk) > cap:
                    captured.overflow = True
                size = min(cap, size + len(chunk))
            else:
                chunks.append(chunk)
                size += len(chunk)
                while size - len(chunks[0]) >= cap:
                    size -= len(chunks.popleft())
                    captured.overflow = True
        data = b"".join(chunks)
        captured.data = data[-cap:] if keep == "tail" else data

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread, captured


@dataclass
class Outcome:
    """How one render process ended."""

    returncode: int
    result: bytes
    result_overflow: bool
    log: str
    timed_out: bool
    sandboxed: bool


def kill_group(pid: int) -> None:
    """SIGKILL a process group, if anything is left in it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run(command: list[str], *, env: dict[str, str], cwd: Path, deadline: float, sandboxed: bool) -> Outcome:
    """Run a render process to the end (or `deadline` seconds), its output bounded, its group killed."""
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    out_thread, out = read_bounded(proc.stdout, RESULT_CAP, keep="head")
    err_thread, err = read_bounded(proc.stderr, LOG_CAP, keep="tail")
    timed_out = False
    try:
        proc.wait(timeout=deadline)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(proc.pid)
        proc.wait()
    kill_group(proc.pid)  # whatever the script started in its group goes with it, even after success
    for thread in (out_thread, err_thread):
        thread.join(timeout=5)  # a process that escaped the group may hold a pipe: do not wait for it
    for stream in (proc.stdout, proc.stderr):
        with contextlib.suppress(OSError):
            stream.close()  # type: ignore[union-attr]
    return Outcome(
        returncode=proc.returncode,
        result=out.data,
        result_overflow=out.overflow,
        log=err.data.decode("utf-8", errors="replace"),
        timed_out=timed_out,
        sandboxed=sandboxed,
    )
