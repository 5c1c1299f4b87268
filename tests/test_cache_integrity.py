"""A cache that cannot lie: every lookup checks the entry's digest; corrupt entries are re-rendered."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from figure_pipeline.cache import FigureCache, write_digest
from figure_pipeline.render import render_all
from helpers import GOOD_SCRIPT, options


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "figure_pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda e: e.light_svg.write_bytes(e.light_svg.read_bytes()[:200]), "light.svg does not match"),
        (lambda e: e.dark_svg.write_bytes(b""), "dark.svg does not match"),
        (lambda e: (e.path / "meta.json").write_text('{"broken', encoding="utf-8"), "meta.json does not match"),
        (lambda e: (e.path / "digest.json").write_text("{", encoding="utf-8"), "digest.json is unreadable"),
        (lambda e: (e.path / "digest.json").unlink(), "no digest.json"),
        (lambda e: (e.path / "stray.png").write_bytes(b"x"), "undeclared files (stray.png)"),
        (lambda e: e.light_svg.unlink(), "light.svg is missing"),
    ],
    ids=["truncated", "emptied", "bad-meta", "bad-digest", "no-digest", "extra-file", "missing-file"],
)
def test_corrupt_entry_is_reported_once_dropped_and_rendered_again(tmp_path: Path, damage, why: str) -> None:
    opts = options(tmp_path, {"fig": GOOD_SCRIPT})
    entry = render_all(opts).results["fig"].entry
    assert entry is not None
    good = entry.light_svg.read_bytes()
    damage(entry)

    report = render_all(opts)
    result = report.results["fig"]
    assert result.problem is None and not result.cached, "a corrupt entry must not be served"
    (note,) = report.notes
    assert note.startswith(str(result.script)) or note.split(":")[0].endswith("fig.py")
    assert why in note and note.endswith("dropped and rendered again")
    assert result.entry is not None and result.entry.light_svg.read_bytes() == good
    again = render_all(opts)
    assert again.cached == 1 and again.notes == [], "reported once, then clean"


def test_corrupt_meta_does_not_crash_the_cli_and_list_says_corrupt(tmp_path: Path) -> None:
    opts = options(tmp_path, {"fig": GOOD_SCRIPT})
    entry = render_all(opts).results["fig"].entry
    assert entry is not None
    (entry.path / "meta.json").write_text('{"broken', encoding="utf-8")
    args = ("--scripts", str(opts.scripts_dir), "--cache-dir", str(opts.cache_dir))
    listed = _cli("list", *args, cwd=tmp_path)  # list renders what it cannot trust, as a build would
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr and "the cached figure was corrupt" in listed.stderr
    assert "[ok]" in listed.stdout
    rendered = _cli("render", *args, cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert "0 rendered, 1 cached" in rendered.stdout and "corrupt" not in rendered.stderr


def test_prune_drops_corrupt_entries(tmp_path: Path) -> None:
    opts = options(tmp_path, {"fig": GOOD_SCRIPT})
    entry = render_all(opts).results["fig"].entry
    assert entry is not None
    entry.light_svg.write_text("<svg/>", encoding="utf-8")
    assert FigureCache(opts.cache_dir).prune({entry.key}) == 1
    assert not entry.path.exists()


def test_corrupt_manifest_is_rebuilt(tmp_path: Path) -> None:
    opts = options(tmp_path, {"one": GOOD_SCRIPT, "two": GOOD_SCRIPT.replace("Good figure", "Two")})
    render_all(opts)
    manifest = opts.cache_dir / "manifest.json"
    manifest.write_text('{"version": 1, "figures": {"one": 3', encoding="utf-8")
    args = ("--scripts", str(opts.scripts_dir), "--cache-dir", str(opts.cache_dir))
    assert _cli("list", *args, cwd=tmp_path).returncode == 0  # list renders, so it writes a sound manifest
    assert set(json.loads(manifest.read_text(encoding="utf-8"))["figures"]) == {"one", "two"}
    manifest.write_text('{"version": 1, "figures": {"one": 3', encoding="utf-8")
    report = render_all(opts, only={"one"})  # a partial pass merges with the old manifest: unreadable is empty
    assert report.cached == 1
    assert set(json.loads(manifest.read_text(encoding="utf-8"))["figures"]) == {"one"}
    render_all(opts)
    assert set(json.loads(manifest.read_text(encoding="utf-8"))["figures"]) == {"one", "two"}


def test_a_poisoned_entry_never_outlives_a_changed_or_deleted_script(tmp_path: Path) -> None:
    """Even an entry whose digest was rewritten to match (as a restored CI cache could hold)."""
    opts = options(tmp_path, {"one": GOOD_SCRIPT, "two": GOOD_SCRIPT.replace("Good figure", "Two")})
    first = render_all(opts)
    poisoned = first.results["two"].entry
    assert poisoned is not None
    poisoned.light_svg.write_text(poisoned.light_svg.read_text(encoding="utf-8") + "<!-- poison -->")
    write_digest(poisoned.path)  # a careful poisoner

    script = opts.scripts_dir / "two.py"
    script.write_text(script.read_text(encoding="utf-8").replace("Two", "Two, edited"), encoding="utf-8")
    edited = render_all(opts)
    assert edited.results["two"].key != poisoned.key and not edited.results["two"].cached
    assert "poison" not in edited.results["two"].entry.light_svg.read_text(encoding="utf-8")  # type: ignore[union-attr]

    script.unlink()
    after = render_all(opts)
    assert "two" not in after.results
    keep = {r.key for r in after.results.values()}
    FigureCache(opts.cache_dir).prune(keep)
    assert not poisoned.path.exists()


def test_prune_keeps_the_entries_the_current_scripts_use_even_without_a_manifest(tmp_path: Path) -> None:
    opts = options(tmp_path, {"fig": GOOD_SCRIPT})
    entry = render_all(opts).results["fig"].entry
    assert entry is not None
    (opts.cache_dir / "manifest.json").unlink()  # as after a killed build
    args = ("--scripts", str(opts.scripts_dir), "--cache-dir", str(opts.cache_dir))
    assert _cli("prune", *args, cwd=tmp_path).returncode == 0
    assert FigureCache(opts.cache_dir).lookup(entry.key) is not None
