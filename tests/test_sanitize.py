"""Figures hold drawing only: hostile scripts cannot put script, links or outside files into an SVG."""

from __future__ import annotations

from pathlib import Path

import pytest

from figure_pipeline import errors
from figure_pipeline.render import render_all
from figure_pipeline.sanitize import UnsafeSvg, check_figure_svg, clean_graphviz_svg
from helpers import PROBE_LINT, options

SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'

LINKED_NODES = """
from diagrams.k8s.compute import Pod
from house_style import figure

with figure("Links"):
    Pod("a", URL="javascript:alert(document.domain)", tooltip="t") >> Pod("b", href="https://evil.example/x")
"""

# The script replaces the layout step itself: the runner runs in the script's process.
REPLACED_LAYOUT = """
import sys
from diagrams.k8s.compute import Pod
from house_style import figure

EVIL = '''<svg {svg} width="100pt" height="50pt" viewBox="0 0 100 50" onload="alert(1)">
<script>alert(1)</script>
<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
<style>text {{ background: url(https://evil.example/t.png) }}</style>
<g onclick="alert(2)" style="fill:url(https://evil.example/f)">
<text x="1" y="2" fill="url(javascript:alert(3))">label</text>
<a xlink:href="https://evil.example/"><polygon points="0,0 1,1" fill="red"/></a>
<use href="https://evil.example/sprite.svg#x"/></g>
</svg>'''
for module in (sys.modules.get("__main__"), sys.modules.get("figure_pipeline.runner")):
    if hasattr(module, "run_dot"):  # the runner is __main__ in a fresh interpreter
        module.run_dot = lambda source: EVIL
with figure("Replaced layout"):
    Pod("a")
""".replace("{svg}", SVG)

OUTSIDE_ICON = """
from diagrams.custom import Custom
from house_style import figure

with figure("Outside icon"):
    Custom("x", "/etc/hostname")
"""


def _all_text(entry) -> str:
    return entry.light_svg.read_text(encoding="utf-8") + entry.dark_svg.read_text(encoding="utf-8")


def test_graphviz_links_from_node_attributes_are_removed(tmp_path: Path) -> None:
    report = render_all(options(tmp_path, {"links": LINKED_NODES}, lint_ignore=PROBE_LINT))
    entry = report.results["links"].entry
    assert entry is not None, report.results["links"].problem
    text = _all_text(entry)
    assert "<a " not in text and "javascript" not in text and "evil.example" not in text
    assert text.count("<use ") == 4  # both nodes are still drawn, in light and dark


def test_a_script_that_replaces_the_layout_cannot_smuggle_anything_in(tmp_path: Path) -> None:
    report = render_all(options(tmp_path, {"evil": REPLACED_LAYOUT}))
    entry = report.results["evil"].entry
    assert entry is not None, report.results["evil"].problem
    text = _all_text(entry)
    for banned in ("script", "foreignObject", "onload", "onclick", "style", "evil.example", "javascript", "<a "):
        assert banned not in text, banned
    assert "label" in text and "<polygon" in text  # the drawing itself survives


def test_an_icon_from_outside_the_icon_set_and_the_project_fails(tmp_path: Path) -> None:
    problem = render_all(options(tmp_path, {"outside": OUTSIDE_ICON})).results["outside"].problem
    assert problem is not None
    assert problem.kind in (errors.UNSAFE, errors.MISSING_ICON)
    assert "/etc/hostname" in problem.message


def test_a_missing_icon_is_an_error_not_an_empty_node(tmp_path: Path) -> None:
    script = OUTSIDE_ICON.replace("/etc/hostname", str(tmp_path / "diagrams" / "icons" / "missing.png"))
    problem = render_all(options(tmp_path, {"missing": script})).results["missing"].problem
    assert problem is not None and problem.kind == errors.MISSING_ICON
    assert "icon file not found" in problem.message and "missing.png" in problem.message


def test_clean_keeps_graphviz_drawing_and_checks_icon_paths(tmp_path: Path) -> None:
    icon = tmp_path / "icon.png"
    icon.write_bytes(b"")
    raw = f'<svg {SVG}><g><image xlink:href="{icon}" width="1" height="1"/><text onmouseover="x">t</text></g></svg>'
    clean = clean_graphviz_svg(raw, [tmp_path])
    assert "onmouseover" not in clean and str(icon) in clean
    with pytest.raises(UnsafeSvg, match="not inside"):
        clean_graphviz_svg(raw, [tmp_path / "elsewhere"])
    with pytest.raises(UnsafeSvg, match="entities"):
        clean_graphviz_svg('<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', [tmp_path])


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<g onload="alert(1)"/>',
        '<use href="https://evil.example/x.svg#a"/>',
        '<image href="file:///etc/passwd"/>',
        '<rect fill="url(https://evil.example/p)"/>',
        '<rect style="fill:red"/>',
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>',
    ],
)
def test_the_final_check_rejects_anything_off_the_allowlist(body: str) -> None:
    with pytest.raises(UnsafeSvg):
        check_figure_svg(f"<svg {SVG}>{body}</svg>")


def test_the_final_check_accepts_a_real_figure(tmp_path: Path) -> None:
    from helpers import GOOD_SCRIPT

    entry = render_all(options(tmp_path, {"good": GOOD_SCRIPT})).results["good"].entry
    assert entry is not None
    check_figure_svg(entry.light_svg.read_text(encoding="utf-8"))
    check_figure_svg(entry.dark_svg.read_text(encoding="utf-8"))


def test_an_icon_that_is_not_an_image_is_a_missing_icon_with_its_own_fix(tmp_path: Path) -> None:
    icons = tmp_path / "diagrams" / "icons"
    icons.mkdir(parents=True)
    (icons / "broken.png").write_bytes(b"not a picture")
    script = OUTSIDE_ICON.replace("/etc/hostname", str(icons / "broken.png"))
    problem = render_all(options(tmp_path, {"broken": script})).results["broken"].problem
    assert problem is not None and problem.kind == errors.MISSING_ICON, problem
    assert "broken.png" in problem.message
    assert "PNG or JPEG" in problem.hint and "scripts, links" not in problem.hint, problem.hint


def test_an_icon_pillow_cannot_read_gets_the_icon_fix_not_the_unsafe_one() -> None:
    from figure_pipeline.finish import unsafe_problem
    from figure_pipeline.svg import SvgError

    problem = unsafe_problem("diagrams/x.py", SvgError("cannot read icon x.png: truncated"))
    assert (problem.kind, problem.hint) == (errors.MISSING_ICON, errors.ICON_FORMAT)
