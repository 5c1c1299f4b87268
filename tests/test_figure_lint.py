"""The figure lint: one deliberately bad fixture script per rule, each failing with a useful message.

The fixtures are in tests/fixtures/figure_lint/. Every rule is enforced here (the house style's
LINT_PENDING list is emptied), so each test proves its rule fails when it should.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from figure_pipeline import errors, lint
from figure_pipeline.options import RenderOptions
from figure_pipeline.render import pending_rules, render_all
from helpers import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "figure_lint"

# rule -> (fixture, text the message must contain: the elements it names)
CASES = {
    "end-gap": ("end_gap", "edge 'web' -> 'web-a': its head stops"),
    "text-overlap": ("text_overlap", "'a very long label for the first pod'"),
    "line-through-text": ("line_through_text", "runs through 'a group title right in the way'"),
    "label-crosses-group": ("label_crosses_group", "crosses the border of group 'pod'"),
    "too-tall": ("too_tall", "px tall in the column (at most 850 px)"),
    "text-too-small": ("text_too_small", "smallest text is"),
    "crossings": ("crossings", "edge crossings (at most 2)"),
    "icon-reuse": ("icon_reuse", "'destination', 'identity', 'injector': all drawn with the icon deploy.png"),
    "long-label": ("long_label", "node 'the kube scheduler': has 3 lines (at most 2)"),
    "icon-contrast": ("icon_contrast", "icon of node 'k3s server': a third of its ink reaches only 1."),
    "one-accent-path": (
        "accent_fork",
        "node 'gateway': the accent edges fork there (2 leave it, 1 arrives); they start at 'client', 'gateway' "
        "and end at 'web', 'api'",
    ),
    "label-room": (
        "label_room_phrase",
        "'24h certificate' (label '24h certificate' of edge 'identity' -> 'proxy') and 'injects proxy' (label "
        "'injects proxy' of edge 'injector' -> 'proxy'): share a line",
    ),
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "diagrams"
    folder.mkdir()
    style = (ROOT / "diagrams" / "house_style.py").read_text(encoding="utf-8")
    style, count = re.subn(r"^LINT_PENDING = .*$", "LINT_PENDING = ()", style, flags=re.M)
    assert count == 1, "house_style.py must define LINT_PENDING on one line"
    (folder / "house_style.py").write_text(style, encoding="utf-8")
    for script in FIXTURES.glob("*.py"):
        (folder / script.name).write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("lint")
    return render_all(RenderOptions(scripts_dir=_folder(tmp), cache_dir=tmp / "cache", workers=2))


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule_fails_its_fixture_with_a_useful_message(report, rule: str) -> None:
    fixture, names = CASES[rule]
    problem = report.results[fixture].problem
    assert problem is not None, f"{fixture}.py should break {rule}"
    assert problem.kind == errors.LINT
    assert problem.script.endswith(f"{fixture}.py")
    assert f"[{rule}]" in problem.message, problem.message
    assert names in problem.message, problem.message
    assert problem.hint.startswith(f"{rule}: ") or f"; {rule}: " in problem.hint, problem.hint
    assert lint.FIXES[rule] in problem.hint


def test_every_rule_has_a_fixture() -> None:
    assert set(CASES) == set(lint.RULES)


def test_a_clean_figure_passes_every_rule(report) -> None:
    result = report.results["clean"]
    assert result.problem is None, result.problem.describe() if result.problem else ""
    metrics = result.entry.meta()["lint"]["metrics"]
    assert metrics["largest_end_gap_px"] <= lint.MAX_END_GAP_PX
    assert metrics["smallest_text_px"] >= lint.MIN_TEXT_PX
    assert metrics["arrowheads"] == 2


def test_one_accent_chain_and_a_backed_light_logo_pass(report) -> None:
    result = report.results["one_path"]
    assert result.problem is None, result.problem.describe() if result.problem else ""
    assert result.entry.meta()["lint"]["metrics"]["lowest_icon_contrast"] >= 3.0


def test_the_contrast_message_gives_both_variants(report) -> None:
    message = report.results["icon_contrast"].problem.message
    assert re.search(
        r"1\.\d\d:1 against #fefefe in the light variant and 1\.\d\d:1 against #f6f8fa in the dark", message
    )


def test_a_stated_reason_allows_crossings(report) -> None:
    result = report.results["crossings_because"]
    assert result.problem is None, result.problem.describe() if result.problem else ""
    assert result.entry.meta()["lint"]["metrics"]["crossings"] > lint.MAX_CROSSINGS


def test_the_message_names_script_rule_elements_and_fix(report) -> None:
    text = report.results["icon_reuse"].problem.describe()
    assert text.startswith(str(report.results["icon_reuse"].script).split("/diagrams/")[0]) or "icon_reuse.py" in text
    assert "the figure lint found 1 problem:" in text
    assert "--> icon-reuse: give each concept its own icon" in text


def test_the_legend_counts_towards_the_height_as_shown(report) -> None:
    # The chain alone is about 760 px tall; its five-row legend takes it over 850 px.
    problem = report.results["legend_too_tall"].problem
    assert problem is not None and "[too-tall]" in problem.message, problem
    assert "874 px tall in the column" in problem.message, problem.message


def _drawing(width: float, height: float, kinds: tuple[str, ...], text_size: float = 14) -> str:
    """A raw Graphviz-like SVG: one node label, and one edge of each kind between points."""
    edges = "".join(
        f'<g class="edge {kind}"><title>x-&gt;y</title>'
        f'<path fill="none" stroke="#57606a" d="M{x},40C{x},60 {x},80 {x},100"/></g>'
        for x, kind in zip(range(20, 100, 10), kinds, strict=False)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:g}pt" '
        f'viewBox="0 0 {width:g} {height:g}"><g class="graph">'
        f'<g class="node"><title>a</title><text x="20" y="30" font-size="{text_size:g}">a</text></g>'
        f"{edges}</g></svg>"
    )


def test_legend_text_under_13_px_in_the_column_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # 707 px wide, shown at 0.973: 14 px labels read 13.6 px, a 13 px legend 12.7 px.
    raw = _drawing(707, 400, ("request", "control"))
    drawn = lint.lint(raw, px_per_unit=1.0)  # the legend at the size the pipeline draws it
    assert drawn.violations == []
    assert drawn.metrics["smallest_text_px"] == 13.0
    monkeypatch.setattr(lint, "legend_font", lambda width, px_per_unit: 13.0)  # a fixed-size legend
    fixed = lint.lint(raw, px_per_unit=1.0)
    assert [v.rule for v in fixed.violations] == ["text-too-small"]
    assert "'request' (the legend)" in fixed.violations[0].elements
    assert fixed.metrics["smallest_text_px"] == 12.7


def test_the_legend_is_part_of_the_display_height() -> None:
    one_kind = lint.lint(_drawing(400, 840, ("request",)), px_per_unit=1.0)
    assert one_kind.violations == [] and one_kind.metrics["display_height_px"] == 840
    two_kinds = lint.lint(_drawing(400, 840, ("request", "control")), px_per_unit=1.0)
    assert [v.rule for v in two_kinds.violations] == ["too-tall"]
    assert two_kinds.metrics["display_height_px"] == 840 + 26


@pytest.mark.parametrize("css_px", [True, False], ids=["px", "pt"])
@pytest.mark.parametrize("width", [300, 688, 707, 900, 1400])
def test_the_legend_is_drawn_at_the_size_the_lint_measures(width: int, css_px: bool) -> None:
    from figure_pipeline.svg import postprocess_svg

    raw = _drawing(width, 300, ("request", "control", "failure"), text_size=40)
    svg = postprocess_svg(raw, title="t", icon_px=64, css_px=css_px)
    px_per_unit = 1.0 if css_px else 4 / 3
    shown = min(1.0, lint.COLUMN_PX / (width * px_per_unit))
    size = float(re.search(r'<g font-family="[^"]*" font-size="([\d.]+)"', svg).group(1))
    assert size == lint.legend_font(width, px_per_unit)
    assert size * px_per_unit * shown >= lint.MIN_TEXT_PX - 0.05
    measured = lint.lint(raw, px_per_unit=px_per_unit).metrics
    height = float(re.search(r'<svg[^>]* height="([\d.]+)p[xt]"', svg).group(1)) * px_per_unit
    assert measured["display_height_px"] == round(height * shown)


def test_a_figure_narrower_than_its_legend_is_widened_not_clipped() -> None:
    from figure_pipeline.geometry import text_width
    from figure_pipeline.svg import postprocess_svg

    svg = postprocess_svg(_drawing(60, 300, ("request", "control")), title="t", icon_px=64, css_px=True)
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    assert re.search(r'<svg[^>]* width="([\d.]+)px"', svg).group(1) == f"{view_width:g}"
    ends = [
        float(x) + text_width(name, float(size))
        for x, name in re.findall(r'<text x="([\d.]+)"[^>]*>([^<]+)</text>', svg)
        for size in re.findall(r'font-size="([\d.]+)"><line', svg)[:1]
    ]
    assert ends and max(ends) <= view_width


def test_a_crossing_next_to_an_arrowhead_counts(report) -> None:
    # The dashed xDS edge crosses the main path about 2 units above its arrowhead; the old rule
    # skipped every intersection within 6 units of any edge's end and counted 0.
    result = report.results["crossing_at_arrowhead"]
    assert result.problem is None, result.problem.describe() if result.problem else ""
    assert result.entry.meta()["lint"]["metrics"]["crossings"] == 1


def _edges(*paths: str) -> str:
    """A raw Graphviz-like SVG holding only edges, each given by its path data."""
    groups = "".join(
        f'<g class="edge"><title>t{i}-&gt;h{i}</title><path fill="none" stroke="#57606a" d="{d}"/></g>'
        for i, d in enumerate(paths)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200"><g class="graph">{groups}</g></svg>'


def test_crossings_count_unless_both_edges_end_at_that_point() -> None:
    across = "M100,0L100,200"
    # 3 units before the end of a horizontal edge: near one end only, so a crossing.
    near_one_end = lint.lint(_edges("M0,50L103,50", across))
    assert near_one_end.metrics["crossings"] == 1
    # Two edges converging on one point (a shared node's port) meet there, they do not cross.
    meeting = lint.lint(_edges("M0,0L100,100", "M200,0L99,101"))
    assert meeting.metrics["crossings"] == 0
    # Fanning out from one point and crossing further on still counts, once.
    fan = lint.lint(_edges("M0,0L100,100L200,100", "M0,0L100,100L100,200", "M0,150L200,150"))
    assert fan.metrics["crossings"] == 2


def test_straight_edges_that_cross_are_counted() -> None:
    # A vertical and a horizontal edge: each one's bounding box has no area.
    assert lint.lint(_edges("M0,100L200,100", "M100,0L100,200")).metrics["crossings"] == 1


def test_ignored_rules_are_measured_but_not_enforced(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    options = RenderOptions(scripts_dir=folder, cache_dir=tmp_path / "cache", workers=2, lint_ignore=("icon-reuse",))
    result = render_all(options, only={"icon_reuse"}).results["icon_reuse"]
    assert result.problem is None
    assert [v["rule"] for v in result.entry.meta()["lint"]["violations"]] == ["icon-reuse"]


def test_unknown_rule_names_are_refused(tmp_path: Path) -> None:
    options = RenderOptions(scripts_dir=_folder(tmp_path), cache_dir=tmp_path / "c", lint_ignore=("icon_reuse",))
    with pytest.raises(ValueError, match="unknown rules"):
        options.validate()


def test_pending_rules_come_from_the_house_style_source() -> None:
    assert pending_rules(b'LINT_PENDING = ("crossings", "no-such-rule")\n') == ("crossings",)
    assert pending_rules(b"import os\n") == ()
    real = pending_rules((ROOT / "diagrams" / "house_style.py").read_bytes())
    assert set(real) <= set(lint.RULES)


def test_the_cli_fails_on_a_lint_problem(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    command = [sys.executable, "-m", "figure_pipeline", "render", "--scripts", str(folder)]
    run = subprocess.run(
        [*command, "--cache-dir", str(tmp_path / "c"), "--only", "end_gap", "clean"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "[end-gap]" in run.stderr and "end_gap.py" in run.stderr
    assert "1 failed" in run.stdout


def test_an_edge_into_a_group_ends_on_the_group_border(tmp_path: Path) -> None:
    script = '''
"""An edge drawn into a group ends on its border."""

from diagrams.k8s.compute import Pod
from diagrams.onprem.client import User

from house_style import control, figure, group, request

with figure("Into a group", direction="TB"):
    reader = User("reader")
    with group("namespace shop", title_below=True) as shop:
        web = Pod("web")
        api = Pod("web-b")
    web >> request() >> api
    reader >> control("config", into=shop) >> api
'''
    folder = _folder(tmp_path)
    (folder / "into.py").write_text(script, encoding="utf-8")
    result = render_all(RenderOptions(scripts_dir=folder, cache_dir=tmp_path / "c"), only={"into"}).results["into"]
    assert result.problem is None, result.problem.describe() if result.problem else ""
    assert result.entry.meta()["lint"]["metrics"]["largest_end_gap_px"] <= lint.MAX_END_GAP_PX


def test_pending_rules_accept_an_annotated_assignment() -> None:
    assert pending_rules(b'LINT_PENDING: tuple[str, ...] = ("crossings",)\n') == ("crossings",)


def test_only_the_newest_rule_may_wait_in_lint_pending() -> None:
    # RULES lists the rules oldest first: at most the newest may wait while figures are redrawn.
    pending = pending_rules((ROOT / "diagrams" / "house_style.py").read_bytes())
    assert set(pending) <= {lint.RULES[-1]}, f"only {lint.RULES[-1]} may wait in LINT_PENDING, not {pending}"


def test_contributing_lists_every_rule_in_its_lint_table() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = set(
        re.findall(r"^\| `([a-z-]+)` \|", text.split("### The figure lint", 1)[1].split("\n## ", 1)[0], flags=re.M)
    )
    assert table == set(lint.RULES)


def test_contributing_states_the_contrast_thresholds_the_code_uses() -> None:
    from figure_pipeline import contrast

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert contrast.SHARE == 1 / 3 and "at least a third of its ink weight" in text
    assert f"at least {contrast.INK_MIN}:1 apart from the fill" in text
    assert f"at least {contrast.MIN_RATIO:.0f}:1 (what WCAG 1.4.11" in text
    assert f"slate `{contrast.PAGE['dark']}`" in text


def test_a_label_squeezed_between_two_groups_fails(report) -> None:
    # A same-row edge between two pods: Graphviz sets its label in the gap between the groups.
    problem = report.results["label_room_border"].problem
    assert problem is not None and problem.kind == errors.LINT
    for pod in ("web pod", "cart pod"):
        assert re.search(
            rf"\[label-room\] 'mTLS' \(label 'mTLS' of edge 'proxy' -> 'proxy'\): is [0-2]\.\d px from the border "
            rf"of group '{pod}' \(at least 3 px\)",
            problem.message,
        ), problem.message
    assert lint.FIXES["label-room"] in problem.hint


def _texts_svg(*texts: tuple[str, float, float, str], extra: str = "") -> str:
    """A raw Graphviz-like SVG: each (label, x, y, anchor) is a 14 px edge label of its own edge."""
    edges = "".join(
        f'<g class="edge"><title>t{i}-&gt;h{i}</title><text text-anchor="{anchor}" x="{x:.3f}" y="{y:.3f}" '
        f'font-size="14.00">{label}</text></g>'
        for i, (label, x, y, anchor) in enumerate(texts)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 300"><g class="graph">{extra}{edges}</g></svg>'


def _room(raw: str) -> list[lint.Violation]:
    return [v for v in lint.lint(raw).violations if v.rule == "label-room"]


@pytest.mark.parametrize(("gap", "fails"), [(5.5, True), (13.9, True), (14.0, False), (40.0, False)])
def test_labels_on_one_line_are_measured_between_their_text_boxes(gap: float, fails: bool) -> None:
    from figure_pipeline.geometry import text_width

    # Centred labels, as Graphviz writes edge labels: the gap is between the ends of the words.
    left, right = "24h certificate", "injects proxy"
    x_left = 100.0
    x_right = x_left + text_width(left, 14) / 2 + gap + text_width(right, 14) / 2
    found = _room(_texts_svg((left, x_left, 100, "middle"), (right, x_right, 100, "middle")))
    assert bool(found) is fails, found
    if fails:
        assert found[0].detail.startswith(f"share a line {gap:.1f} px apart (at least 14 px)"), found[0].detail


@pytest.mark.parametrize(("gap", "fails"), [(2.0, True), (5.9, True), (6.0, False)])
def test_stacked_labels_need_more_than_line_spacing(gap: float, fails: bool) -> None:
    # A text box runs from 0.76 em above the baseline to 0.22 em below it.
    found = _room(_texts_svg(("watch", 100, 100, "start"), ("status", 100, 100 + 14 * 0.98 + gap, "start")))
    assert bool(found) is fails, found
    if fails:
        assert "are stacked" in found[0].detail and "read as one label" in found[0].detail


def test_the_lines_of_one_label_are_not_measured_against_each_other() -> None:
    two_lines = (
        '<g class="edge"><title>a-&gt;b</title>'
        '<text x="100" y="100" font-size="14.00">xDS</text><text x="100" y="116.8" font-size="14.00">stream</text></g>'
    )
    assert _room(_texts_svg(extra=two_lines)) == []


def test_overprinting_text_is_left_to_text_overlap() -> None:
    found = lint.lint(_texts_svg(("watch", 100, 100, "start"), ("status", 110, 100, "start"))).violations
    assert [v.rule for v in found] == ["text-overlap"]


def _group(x0: float, y0: float, x1: float, y1: float, title: str = "") -> str:
    text = f'<text x="{x0 + 8:g}" y="{y0 + 20:g}" font-size="14.00">{title}</text>' if title else ""
    return (
        f'<g class="cluster"><title>cluster_{title or "x"}</title><polygon fill="#eaf2fb" stroke="#7d8590" '
        f'points="{x0:g},{y0:g} {x1:g},{y0:g} {x1:g},{y1:g} {x0:g},{y1:g} {x0:g},{y0:g}"/>{text}</g>'
    )


@pytest.mark.parametrize(("gap", "fails"), [(0.6, True), (2.9, True), (3.0, False)])
def test_an_edge_label_beside_a_group_border_is_measured_outside_it(gap: float, fails: bool) -> None:
    from figure_pipeline.geometry import text_width

    # The label ends `gap` px left of the group's left border.
    x_end = 300.0 - gap
    found = _room(_texts_svg(("mTLS", x_end - text_width("mTLS", 14), 150, "start"), extra=_group(300, 50, 500, 250)))
    assert bool(found) is fails, found
    if fails:
        assert found[0].detail == f"is {gap:.1f} px from the border of group 'cluster_x' (at least 3 px)"


def test_an_edge_label_inside_a_group_is_measured_to_its_nearest_side() -> None:
    # Baseline 2 px above the bottom border, less the 0.22 em descent: 2 - 3.08 < 0, so it crosses;
    # 6 px above: 2.9 px of room.
    crossing = _room(_texts_svg(("watch", 350, 248, "start"), extra=_group(300, 50, 500, 250)))
    assert crossing == []  # a label across the border is label-crosses-group's
    close = _room(_texts_svg(("watch", 350, 244.0, "start"), extra=_group(300, 50, 500, 250)))
    assert [v.detail for v in close] == ["is 2.9 px from the border of group 'cluster_x' (at least 3 px)"]


def test_a_group_title_is_not_measured_against_its_own_border() -> None:
    # The title sits 8 px in from the left border, at the top: its own border does not count.
    assert _room(_texts_svg(extra=_group(300, 50, 500, 250, title="pod"))) == []


def test_distances_are_measured_as_shown_in_the_column() -> None:
    from figure_pipeline.geometry import text_width

    # 1376 units wide: shown at half size, so a 20-unit gap is 10 px in the column.
    raw = _texts_svg(("watch", 100, 100, "start"), ("status", 100 + text_width("watch", 14) + 20, 100, "start"))
    raw = raw.replace('viewBox="0 0 600 300"', 'viewBox="0 0 1376 300"')
    assert [v.detail[:25] for v in _room(raw)] == ["share a line 10.0 px apar"]


def test_contributing_states_the_label_room_distances_the_code_uses() -> None:
    from figure_pipeline import room

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"at least {room.MIN_TEXT_GAP_X:.0f} px apart side by side on one line" in text
    assert f"at least {room.MIN_TEXT_GAP_Y:.0f} px apart stacked" in text
    assert f"at least {room.MIN_BORDER_GAP:.0f} px from a group border or node card" in text


def test_spaces_around_a_label_are_not_measured_as_ink() -> None:
    from figure_pipeline.geometry import text_width

    # `same_row` pads its label with no-break spaces for room: the lint measures the word alone.
    pad = text_width("\u00a0", 14)
    word = text_width("mTLS", 14)
    x_end = 300.0 - 1.0  # the word ends 1 px left of the border; its padding reaches past it
    raw = _texts_svg(("\u00a0mTLS\u00a0", x_end - word - pad, 150, "start"), extra=_group(300, 50, 500, 250))
    assert [v.detail for v in _room(raw)] == ["is 1.0 px from the border of group 'cluster_x' (at least 3 px)"]
    drawing = lint.parse(raw)
    assert [t.text for t in lint._all_texts(drawing)] == ["mTLS"]


def test_the_house_style_pads_every_edge_label_with_no_break_spaces() -> None:
    style = (ROOT / "diagrams" / "house_style.py").read_text(encoding="utf-8")
    namespace: dict[str, Any] = {}
    exec(compile(style, "house_style.py", "exec"), namespace)  # repo code, run here only to read an edge
    assert namespace["request"]("mTLS\nverify")._attrs["label"] == "\u00a0mTLS\u00a0\n\u00a0verify\u00a0"
    assert namespace["same_row"](namespace["control"]("xDS"))._attrs["label"] == "\u00a0xDS\u00a0"
    assert namespace["request"]()._attrs.get("label", "") == ""
