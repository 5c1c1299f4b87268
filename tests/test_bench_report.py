"""The `[[benchmark]]` Markdown extension: tables and an accessible chart from the benchmark JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup

from helpers import ROOT
from site_extensions.benchmark import BenchmarkExtension, BenchmarkReportError, load


def sample() -> dict[str, Any]:
    builds = [
        ("floor", "No pipeline (floor)", 2.0),
        ("warm", "Nutshell, warm", 2.1),
        ("cold", "Nutshell, cold", 4.5),
        ("prior_warm", "mkdocs-diagrams, 2nd build", 5.0),
        ("prior_cold", "mkdocs-diagrams, 1st build", 5.2),
    ]
    return {
        "schema": 1,
        "recorded": "2026-11-25 15:00 UTC",
        "mode": "full",
        "machine": {"cores": 2, "os": "Debian GNU/Linux 12 (bookworm)", "python": "3.11.7"},
        "repeats": 3,
        "scale_repeats": 1,
        "site": {"pages": 22, "figures": 37},
        "builds": [
            {
                "id": i,
                "label": f"{s} (long)",
                "short": s,
                "median_s": t,
                "runs_s": [t, t + 0.1, t - 0.1],
                "ratio_to_floor": t / 2.0,
            }
            for i, s, t in builds
        ],
        "targets": [
            {
                "id": "warm_vs_floor",
                "label": "warm <= 1.10 x floor",
                "measured": 1.05,
                "limit": 1.1,
                "unit": "x",
                "pass": True,
            },
            {
                "id": "page_edit",
                "label": "page edit -> reload < 1 s",
                "measured": 1.7,
                "limit": 1.0,
                "unit": "s",
                "pass": False,
            },
        ],
        "scale": [
            {
                "pages": 100,
                "figures": 30,
                "floor_s": 5.0,
                "cold_s": 9.0,
                "warm_s": 5.2,
                "warm_to_floor": 1.04,
                "floor_cpu_s": 4.0,
                "warm_cpu_s": 4.1,
                "render_cpu_s": 1.5,
                "peak_rss_mb": 120.0,
            }
        ],
        "serve": [{"id": "page_edit", "label": "page edit -> reload", "median_s": 1.7, "runs_s": [1.6, 1.7, 1.9]}],
        "bytes": {"figures": [{}], "total": {"ours_svg": 2048, "png": 8192, "raw_svg": 1024, "raw_svg_icons": 6144}},
        "notes": [],
    }


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "benchmark.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def convert(text: str, path: Path, *extensions: str) -> BeautifulSoup:
    html = markdown.markdown(text, extensions=[BenchmarkExtension(data=str(path)), *extensions])
    return BeautifulSoup(html, "html.parser")


def test_default_block_is_a_table_and_an_accessible_chart(tmp_path: Path) -> None:
    soup = convert("Intro.\n\n[[benchmark]]\n\nAfter.", write(tmp_path, sample()))
    rows = soup.select("table tbody tr")
    assert [r.td.get_text() for r in rows][:2] == ["No pipeline (floor) (long)", "Nutshell, warm (long)"]
    assert "median of 3 runs" in soup.table.caption.get_text()
    svg = soup.select_one("figure.benchmark-chart svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert soup.find(id=title_id).get_text() == "Median build time in seconds, per build"
    assert "Nutshell, cold: 4.50 s" in soup.find(id=desc_id).get_text()
    assert len(svg.find_all("rect")) == 5
    assert [p.get_text() for p in soup.find_all("p")] == ["Intro.", "After."]


def test_bars_are_proportional_and_coloured_by_kind(tmp_path: Path) -> None:
    svg = convert("[[benchmark chart]]", write(tmp_path, sample())).svg
    bars = [(float(r["width"]), r["style"]) for r in svg.find_all("rect")]  # in the order of the builds
    longest = bars[-1][0]
    assert [w / longest for w, _ in bars] == pytest.approx([2.0 / 5.2, 2.1 / 5.2, 4.5 / 5.2, 5.0 / 5.2, 1.0], rel=0.01)
    assert len({bars[0][1], bars[2][1], bars[4][1]}) == 3  # floor, ours and prior art differ
    assert "--md-primary-fg-color" in bars[2][1]  # ours, in the site's colour


def test_other_parts_render_their_tables(tmp_path: Path) -> None:
    soup = convert("[[benchmark targets scale serve bytes]]", write(tmp_path, sample()))
    tables = soup.find_all("table")
    assert len(tables) == 4
    assert [td.get_text() for td in tables[0].select("tbody tr td:last-child")] == ["PASS", "MISS"]
    assert tables[0].select_one("tbody td").get_text() == "warm ≤ 1.10 × floor"  # terminal labels made readable
    assert "median of 1 run," in tables[1].caption.get_text()  # the scale runs have their own count
    assert [td.get_text() for td in tables[1].select("tbody tr td")][5:8] == ["1.04×", "1.02×", "1.50"]
    assert "1.60, 1.70, 1.90" in tables[2].get_text()
    assert "4.00×" in tables[3].get_text()  # the PNGs weigh four times our SVG


def test_code_and_inline_mentions_are_left_alone(tmp_path: Path) -> None:
    text = "Write `[[benchmark]]` on its own line.\n\n```\n[[benchmark]]\n```\n"
    soup = convert(text, write(tmp_path, sample()), "fenced_code")
    assert soup.table is None and soup.svg is None
    assert soup.pre.get_text().strip() == "[[benchmark]]"


def test_chart_text_is_not_touched_by_other_extensions(tmp_path: Path) -> None:
    text = "[[benchmark]]\n\n*[SVG]: Scalable Vector Graphics\n*[floor]: the baseline\n"
    soup = convert(text, write(tmp_path, sample()), "abbr")
    assert soup.svg.find("abbr") is None
    assert "No pipeline (floor)" in soup.svg.get_text()


def test_two_charts_on_a_page_have_distinct_ids(tmp_path: Path) -> None:
    path = write(tmp_path, sample())
    md = markdown.Markdown(extensions=[BenchmarkExtension(data=str(path))])
    soup = BeautifulSoup(md.convert("[[benchmark chart]]\n\n[[benchmark chart]]"), "html.parser")
    ids = [svg["aria-labelledby"] for svg in soup.find_all("svg")]
    assert len(set(ids)) == 2
    md.reset()
    again = BeautifulSoup(md.convert("[[benchmark chart]]"), "html.parser")
    assert again.svg["aria-labelledby"] == ids[0]


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "benchmark.json"
    with pytest.raises(BenchmarkReportError, match=r"nowhere/benchmark\.json: file not found.*make bench"):
        convert("[[benchmark]]", path)


def test_malformed_json_names_file_and_position(tmp_path: Path) -> None:
    path = write(tmp_path, '{"schema": 1,\n "builds": [}')
    with pytest.raises(BenchmarkReportError, match=r"benchmark\.json: not valid JSON .* line 2"):
        convert("[[benchmark]]", path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("builds"), "missing key 'builds'"),
        (lambda d: d.update(schema=2), "schema 2 is not supported"),
        (lambda d: d["builds"][1].pop("median_s"), r"builds\[1\] is missing 'median_s'"),
        (lambda d: d["builds"][0].update(median_s="fast"), r"builds\[0\]\.median_s must be a number"),
        (
            lambda d: d.update(builds=[b for b in d["builds"] if b["id"] != "floor"]),
            "'builds' has no entry with id 'floor'",
        ),
        (lambda d: d["targets"][0].pop("pass"), r"targets\[0\] is missing 'pass'"),
        (lambda d: d.update(machine="fast"), "'machine' must be an object"),
    ],
)
def test_malformed_data_names_file_and_key(tmp_path: Path, change: Any, message: str) -> None:
    data = sample()
    change(data)
    with pytest.raises(BenchmarkReportError, match=rf"benchmark\.json: {message}"):
        convert("[[benchmark]]", write(tmp_path, data))


def test_unknown_part_lists_the_parts(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkReportError, match=r"unknown part 'charts'.*builds, chart, targets"):
        convert("[[benchmark charts]]", write(tmp_path, sample()))


def test_the_committed_benchmark_record_is_valid() -> None:
    data = load(ROOT / "docs" / "about" / "benchmark.json")
    assert {b["id"] for b in data["builds"]} >= {"floor", "warm", "cold"}
