"""SVG post-processing: portable, de-duplicated, text as text, dark variant, deterministic, small."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from figure_pipeline.render import render_all
from figure_pipeline.svg import dark_variant, svg_size
from helpers import GOOD_SCRIPT, options


def _render(tmp_path: Path, source: str = GOOD_SCRIPT) -> tuple[str, str]:
    report = render_all(options(tmp_path, {"fig": source}))
    entry = report.results["fig"].entry
    assert entry is not None, report.problems
    return entry.light_svg.read_text(encoding="utf-8"), entry.dark_svg.read_text(encoding="utf-8")


def test_no_filesystem_paths_and_icons_are_embedded(tmp_path: Path) -> None:
    light, dark = _render(tmp_path)
    for svg in (light, dark):
        assert "site-packages" not in svg
        assert 'xlink:href="/' not in svg and 'href="/' not in svg
        assert str(tmp_path) not in svg
        hrefs = re.findall(r'href="([^"]+)"', svg)
        assert all(h.startswith(("data:image/png;base64,", "#icon")) for h in hrefs), hrefs


def test_each_icon_is_embedded_once(tmp_path: Path) -> None:
    light, _ = _render(tmp_path)
    # Two Pod nodes and one User: two distinct icons, three uses.
    assert light.count("data:image/png;base64,") == 2
    assert len(re.findall(r"<use ", light)) == 3


def test_text_stays_text(tmp_path: Path) -> None:
    light, _ = _render(tmp_path)
    # Edge labels carry a no-break space on each side (the house style's room for them): strip it.
    texts = {t.strip("\xa0") for t in re.findall(r"<text[^>]*>([^<]*)</text>", light)}
    assert {"web-a", "web-b", "reader", "reads", "pod"} <= texts
    assert "<title>Good figure</title>" in light


def test_dark_variant_mirrors_colours_but_keeps_layout(tmp_path: Path) -> None:
    light, dark = _render(tmp_path)
    assert light != dark
    assert svg_size(light) == svg_size(dark)
    positions = re.compile(r"<text[^>]* x=\"([^\"]+)\" y=\"([^\"]+)\"")
    assert positions.findall(light) == positions.findall(dark)
    assert 'fill="#24292f"' in light  # the house-style ink colour
    assert 'fill="#24292f"' not in dark


PLAIN_SCRIPT = """
from diagrams import Diagram
from diagrams.onprem.client import User

with Diagram("Plain", show=False):
    User("reader")
"""


def test_dark_ink_icons_are_lifted_in_dark_mode_only_without_plates(tmp_path: Path) -> None:
    light, dark = _render(tmp_path, PLAIN_SCRIPT)  # the User icon is dark navy line art
    assert 'filter="url(#lift)"' not in light
    assert 'filter="url(#lift)"' in dark


def test_house_style_icons_sit_on_a_light_plate_and_are_never_inverted(tmp_path: Path) -> None:
    light, dark = _render(tmp_path)
    assert 'filter="url(#lift)"' not in dark
    assert 'fill="#fefefe"' in light and 'fill="#f6f8fa"' in dark  # ICON_PLATE and its dark token


def test_dark_tokens_come_from_the_house_style(tmp_path: Path) -> None:
    _, dark = _render(tmp_path)
    assert 'fill="#e6edf3"' in dark  # INK's dark token, not the mirrored formula colour
    assert 'fill="#22304a"' in dark  # the first group fill's token


def test_a_legend_names_the_edge_kinds_a_figure_uses(tmp_path: Path) -> None:
    source = GOOD_SCRIPT.replace('user >> flow("reads") >> b', 'user >> flow("watches", dashed=True) >> b')
    light, _ = _render(tmp_path, source)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", light)
    assert texts[-2:] == ["request", "control, config"]
    assert 'stroke-dasharray="5,2"' in light.split("<line")[-1]
    one_kind, _ = _render(tmp_path / "one")
    assert "<line" not in one_kind


def test_dark_variant_of_plain_colours() -> None:
    svg = '<svg><text fill="black">a</text><path stroke="#ffffff"/><path fill="none"/></svg>'
    out = dark_variant(svg)
    assert 'fill="none"' in out
    assert 'fill="black"' not in out and 'stroke="#ffffff"' not in out


def test_output_is_byte_identical_across_renders(tmp_path: Path) -> None:
    first = _render(tmp_path / "a")
    second = _render(tmp_path / "b")
    assert first == second


def test_svg_is_no_larger_than_the_png_of_the_same_figure(tmp_path: Path) -> None:
    light, _ = _render(tmp_path)
    folder = tmp_path / "png"
    folder.mkdir()
    script = folder / "fig.py"
    script.write_text(GOOD_SCRIPT.replace('with figure("Good figure"):', 'with figure("Good figure") as d:'))
    (folder / "house_style.py").write_text(
        (Path(__file__).parent.parent / "diagrams" / "house_style.py").read_text(encoding="utf-8")
    )
    # The stock diagrams output: a PNG written by Graphviz from the same script.
    env_code = (
        "import runpy, sys, diagrams; sys.path.insert(0, '.');"
        "orig = diagrams.Diagram.__init__;"
        "png = {'filename': 'fig', 'outformat': 'png'};"
        "diagrams.Diagram.__init__ = lambda self, *a, **k: orig(self, *a, **{**k, **png});"
        "runpy.run_path('fig.py')"
    )
    subprocess.run([sys.executable, "-c", env_code], cwd=folder, check=True)
    png = (folder / "fig.png").stat().st_size
    assert len(light.encode()) <= png, f"SVG {len(light.encode())} bytes > PNG {png} bytes"
