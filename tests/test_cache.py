"""The cache: keys that change exactly when output can change, atomic entries, a manifest."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from figure_pipeline import cache as cache_module
from figure_pipeline.cache import FigureCache, cache_key, code_hash, read_manifest
from figure_pipeline.forkserver import ForkServer
from figure_pipeline.render import render_all
from helpers import GOOD_SCRIPT, options


def test_key_is_stable_for_identical_inputs() -> None:
    assert cache_key(b"script", b"style", {"icon_px": 160}) == cache_key(b"script", b"style", {"icon_px": 160})


@pytest.mark.parametrize(
    "changed",
    [
        (b"script2", b"style", {"icon_px": 160}),
        (b"script", b"style2", {"icon_px": 160}),
        (b"script", b"style", {"icon_px": 200}),
    ],
)
def test_key_changes_with_script_style_and_options(changed: tuple[bytes, bytes, dict[str, int]]) -> None:
    assert cache_key(*changed) != cache_key(b"script", b"style", {"icon_px": 160})


def test_key_changes_with_library_and_graphviz_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_key(b"s", b"t", {})
    monkeypatch.setattr(cache_module, "graphviz_version", lambda: "dot - graphviz version 99")
    after_graphviz = cache_key(b"s", b"t", {})
    monkeypatch.setattr(cache_module, "library_versions", lambda: {"diagrams": "9.9.9", "pillow": "1"})
    after_library = cache_key(b"s", b"t", {})
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    after_pipeline = cache_key(b"s", b"t", {})
    monkeypatch.setattr(cache_module, "pipeline_code", lambda: "edited")
    after_code = cache_key(b"s", b"t", {})
    assert len({before, after_graphviz, after_library, after_pipeline, after_code}) == 5


def test_code_hash_follows_rendering_code_only(tmp_path: Path) -> None:
    package = tmp_path / "figure_pipeline"
    shutil.copytree(Path(cache_module.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    original = code_hash(package)
    for untouched in ("markdown.py", "__main__.py", "mkdocs_plugin/plugin.py"):
        with (package / untouched).open("a", encoding="utf-8") as handle:
            handle.write("\n# a comment\n")
    assert code_hash(package) == original, "glue code edits must not invalidate rendered figures"
    with (package / "svg.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a comment\n")
    assert code_hash(package) != original


def test_prune_drops_unused_icons_and_keeps_recent_ones(tmp_path: Path) -> None:
    store = FigureCache(tmp_path / "cache")
    store.icons.mkdir(parents=True)
    old, recent = store.icons / "old.txt", store.icons / "recent.txt"
    for path in (old, recent):
        path.write_text("light\ndata:image/png;base64,AA==", encoding="ascii")
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    assert store.prune(set()) == 1
    assert recent.exists() and not old.exists()


def test_second_render_uses_the_cache_and_edits_rerender_only_that_figure(tmp_path: Path) -> None:
    opts = options(tmp_path, {"one": GOOD_SCRIPT, "two": GOOD_SCRIPT.replace("Good figure", "Second")})
    first = render_all(opts)
    assert (first.rendered, first.cached) == (2, 0)
    second = render_all(opts)
    assert (second.rendered, second.cached) == (0, 2)
    (opts.scripts_dir / "two.py").write_text(GOOD_SCRIPT.replace("Good figure", "Edited"), encoding="utf-8")
    third = render_all(opts)
    assert (third.rendered, third.cached) == (1, 1)
    assert third.results["one"].cached and not third.results["two"].cached


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the fork server needs os.fork")
def test_a_caller_owned_fork_server_serves_every_pass_and_outlives_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIGURE_PIPELINE_SANDBOX", "off")  # the server serves the unsandboxed fallback only
    opts = options(tmp_path, {"one": GOOD_SCRIPT})
    server = ForkServer()
    try:
        assert render_all(opts, server=server).rendered == 1
        pid = server.pid
        assert pid is not None, "the pass did not use the server it was given"
        (opts.scripts_dir / "one.py").write_text(GOOD_SCRIPT.replace("Good figure", "Edited"), encoding="utf-8")
        again = render_all(opts, server=server)
        assert again.rendered == 1 and not again.problems
        assert server.pid == pid, "a second pass started another server"
    finally:
        server.close()
    assert server.pid is None


def test_style_edit_rerenders_every_figure(tmp_path: Path) -> None:
    opts = options(tmp_path, {"one": GOOD_SCRIPT, "two": GOOD_SCRIPT.replace("Good figure", "Second")})
    render_all(opts)
    style = opts.scripts_dir / opts.style_module
    style.write_text(style.read_text(encoding="utf-8") + "\n# tweak\n", encoding="utf-8")
    assert render_all(opts).rendered == 2


def test_manifest_records_entries_and_problems(tmp_path: Path) -> None:
    opts = options(tmp_path, {"good": GOOD_SCRIPT, "bad": "raise SystemExit(3)\n"})
    report = render_all(opts)
    manifest = read_manifest(report.manifest)  # type: ignore[arg-type]
    assert manifest["good"]["status"] == "ok"
    assert manifest["good"]["meta"]["title"] == "Good figure"
    assert Path(manifest["good"]["light"]).is_file()
    assert manifest["bad"]["status"] == "error"
    assert manifest["bad"]["problem"]["script"].endswith("bad.py")
    assert json.loads(report.manifest.read_text())["version"] == 1  # type: ignore[union-attr]


def test_commit_keeps_the_first_finished_entry(tmp_path: Path) -> None:
    store = FigureCache(tmp_path)
    for content in ("first", "second"):
        work = store.workspace("k")
        for name in ("light.svg", "dark.svg"):
            (work / name).write_text(content, encoding="utf-8")
        (work / "meta.json").write_text(json.dumps({"title": content}), encoding="utf-8")
        entry = store.commit("k", work)
        assert not work.exists()
    assert entry.light_svg.read_text(encoding="utf-8") == "first"


def test_incomplete_entry_is_not_a_hit(tmp_path: Path) -> None:
    store = FigureCache(tmp_path)
    (tmp_path / "entries" / "k").mkdir(parents=True)
    (tmp_path / "entries" / "k" / "light.svg").write_text("x", encoding="utf-8")
    assert store.lookup("k") is None


def test_killed_render_leaves_no_entry_and_the_next_pass_sweeps_its_folder(tmp_path: Path) -> None:
    opts = options(tmp_path, {"slow": "import time\ntime.sleep(30)\n"})
    code = (
        "import sys; from pathlib import Path; from figure_pipeline.options import RenderOptions; "
        "from figure_pipeline.render import render_all; "
        f"render_all(RenderOptions(Path({str(opts.scripts_dir)!r}), Path({str(opts.cache_dir)!r})))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    time.sleep(3)  # the render is under way
    os.killpg(proc.pid, 9)
    proc.wait()
    entries = opts.cache_dir / "entries"
    assert not entries.exists() or not any(entries.iterdir())
    # A folder a killed build was assembling (its lock is no longer held) goes at the next pass.
    store = FigureCache(opts.cache_dir)
    dead = opts.cache_dir / "tmp" / "deadbeef-killed"
    dead.mkdir(parents=True)
    (dead / ".lock").write_text("", encoding="utf-8")
    (dead / "light.svg").write_text("<svg", encoding="utf-8")
    live = store.workspace("live")  # held by this process, as a running render's would be
    (opts.scripts_dir / "slow.py").write_text(GOOD_SCRIPT, encoding="utf-8")
    report = render_all(opts)
    assert report.swept == 1 and not dead.exists()
    assert live.exists(), "a folder a running render holds must survive"
    store.release(live)
    assert store.prune(set()) >= 1  # the entry, which no manifest keeps
    assert not any((opts.cache_dir / "tmp").iterdir())


def test_two_renders_at_once_agree(tmp_path: Path) -> None:
    opts = options(tmp_path, {f"fig{i}": GOOD_SCRIPT.replace("Good figure", f"Figure {i}") for i in range(4)})
    code = (
        "from pathlib import Path; from figure_pipeline.options import RenderOptions; "
        "from figure_pipeline.render import render_all; "
        f"r = render_all(RenderOptions(Path({str(opts.scripts_dir)!r}), Path({str(opts.cache_dir)!r}), workers=2)); "
        "raise SystemExit(len(r.problems))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    report = render_all(opts)
    assert report.cached == 4
    for result in report.results.values():
        assert result.entry is not None
        assert result.entry.light_svg.read_text(encoding="utf-8").startswith("<?xml")
