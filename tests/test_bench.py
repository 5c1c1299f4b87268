"""`tools/bench` (what `make bench` runs): a quick run on the fixture site, and its pipeline-shared parts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import ROOT
from site_extensions import benchmark_record
from tools import mkdocs_config
from tools.bench.variants import figures_config, rewrite_figure_lines


def test_a_quick_run_on_the_fixture_site_writes_a_valid_record(fixture_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "record.json"
    command = [sys.executable, "-m", "tools.bench", "--quick", "--site", str(fixture_site), "--out", str(out)]
    command += ["--no-prior", "--no-serve", "--no-scale"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"replicate with: {' '.join(command)}\n{result.stderr[-3000:]}"
    data = benchmark_record.check(json.loads(out.read_text(encoding="utf-8")))
    assert data["mode"] == "quick" and data["repeats"] == 1
    assert data["site"] == {"pages": 2, "figures": 1}
    builds = {b["id"]: b for b in data["builds"]}
    assert set(builds) == {"floor", "cold", "warm"}
    assert all(len(b["runs_s"]) == 1 and b["median_s"] > 0 for b in builds.values())
    assert list(data["single_render"]["figures"]) == ["tiny_flow"]
    assert [row["name"] for row in data["bytes"]["figures"]] == ["tiny_flow"]
    assert {t["id"] for t in data["targets"]} == {"warm_vs_floor", "cold_budget"}
    # The cold build rendered the figure and the warm build rendered nothing (read from the cache).
    assert "warning" not in result.stderr, result.stderr
    assert "Real site: 2 pages, 1 figures" in result.stdout


def test_figure_lines_are_the_ones_the_extension_reads(fixture_site: Path) -> None:
    docs = fixture_site / "docs"
    changed = rewrite_figure_lines(docs, lambda name, page: f"img/{name}.svg")
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert changed == 2
    assert "(img/tiny_flow.svg)" in home
    assert "figure:not_a_figure" in home, "a reference inside a code fence is documentation, not a figure"


def test_plugin_options_come_from_the_plugin_itself(fixture_site: Path) -> None:
    config = mkdocs_config.load(fixture_site / "mkdocs.yml")
    defaults = figures_config(config)
    assert (defaults.scripts_dir, defaults.style_module, defaults.figures_dir) == (
        "diagrams",
        "house_style.py",
        "figures",
    )
    config["plugins"] = mkdocs_config.replace(config["plugins"], "figures", {"figures": {"site_dir": "art"}})
    assert figures_config(config).figures_dir == "art", "the deprecated name is honoured as in a build"
