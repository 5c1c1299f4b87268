"""The Markdown extension: figure markup, numbering, text description, errors, reference scanning,
and its URL modes and page lookup (the parts another site generator such as Zensical relies on)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest

from figure_pipeline.markdown import figure_url, find_references, page_source_path
from figure_pipeline.render import render_all
from helpers import GOOD_SCRIPT, options


@pytest.fixture
def manifest(tmp_path: Path) -> str:
    broken = 'from house_style import figure\n\nwith figure("x"):\n    1 / 0\n'
    report = render_all(options(tmp_path, {"good": GOOD_SCRIPT, "broken": broken}))
    return str(report.manifest)


def convert(text: str, manifest: str) -> str:
    md = markdown.Markdown(
        extensions=["figure_pipeline.markdown"],
        extension_configs={"figure_pipeline.markdown": {"manifest": manifest}},
    )
    return md.convert(text)


def test_figure_markup(manifest: str) -> None:
    html = convert("![Readers read *both* pods.](figure:good)", manifest)
    assert '<figure class="nutshell-figure" id="figure-good">' in html
    assert 'src="/figures/good.svg#only-light"' in html
    assert 'src="/figures/good.dark.svg#only-dark"' in html
    assert 'alt="Good figure"' in html
    assert 'aria-describedby="figure-good-text"' in html
    assert '<span class="figure-number">Figure 1.</span> Readers read <em>both</em> pods.' in html
    assert 'width="' in html and 'height="' in html and 'loading="eager"' in html


def test_only_the_first_figure_loads_eagerly_in_the_default_palette(manifest: str) -> None:
    html = convert("![One.](figure:good)\n\n![Two.](figure:good)", manifest)
    first, second = html.split('id="figure-good-2"')
    light, dark = first.split('class="figure-open figure-open--dark"')
    assert 'loading="eager"' in light and 'loading="lazy"' not in light
    assert 'fetchpriority="high"' in light and "fetchpriority" not in dark + second
    assert 'loading="lazy"' in dark and 'loading="eager"' not in dark
    assert 'loading="lazy"' in second and 'loading="eager"' not in second


def test_each_variant_links_to_its_own_svg(manifest: str) -> None:
    html = convert("![One.](figure:good)", manifest)
    assert '<a class="figure-open figure-open--light" href="/figures/good.svg#only-light">' in html
    assert '<a class="figure-open figure-open--dark" href="/figures/good.dark.svg#only-dark">' in html


def test_text_description_lists_groups_and_connections(manifest: str) -> None:
    html = convert("![Caption.](figure:good)", manifest)
    assert "<summary>Text description of figure 1</summary>" in html
    assert "Group pod: web-a, web-b." in html


def test_list_labels_name_the_figure_and_are_not_paragraphs(manifest: str) -> None:
    # Material's search shows the block around a hit; a <p> label would be a block of its own.
    html = convert("![One.](figure:good)\n\n![Two.](figure:good)", manifest)
    assert '<div class="figure-text-label">Parts of figure 1:</div>' in html
    assert '<div class="figure-text-label">Connections in figure 2:</div>' in html
    assert "<p>Parts" not in html and "<p>Connections" not in html
    assert "reader → web-a: reads." in html
    assert "Outside any group: reader." in html


def test_figures_are_numbered_in_order_and_ids_stay_unique(manifest: str) -> None:
    html = convert("![One.](figure:good)\n\nText.\n\n![Two.](figure:good)", manifest)
    assert "Figure 1.</span> One." in html and "Figure 2.</span> Two." in html
    assert 'id="figure-good"' in html and 'id="figure-good-2"' in html


def test_figure_line_inside_a_paragraph_block_is_split_out(manifest: str) -> None:
    html = convert("Before.\n![Caption.](figure:good)\nAfter.", manifest)
    assert html.index("<p>Before.</p>") < html.index("<figure") < html.index("<p>After.</p>")


def test_unknown_figure_shows_an_error_box_with_a_suggestion(manifest: str) -> None:
    html = convert("![Caption.](figure:godo)", manifest)
    assert "figure-error" in html, "an unknown figure shows the error box"
    assert "Unknown figure &#x27;godo&#x27;" in html or "Unknown figure 'godo'" in html
    assert "did you mean good?" in html


def test_failed_figure_shows_where_and_why(manifest: str) -> None:
    html = convert("![Caption.](figure:broken)", manifest)
    assert "could not be rendered" in html
    assert "broken.py:4" in html
    assert "ZeroDivisionError" in html


def test_missing_manifest_means_every_figure_is_unknown(tmp_path: Path) -> None:
    html = convert("![Caption.](figure:good)", str(tmp_path / "none.json"))
    assert "Unknown figure" in html


def test_find_references_reports_lines_and_skips_code_fences() -> None:
    text = "# T\n\n![A.](figure:one)\n\n```md\n![B.](figure:two)\n```\n\nInline ![C.](figure:three) here.\n"
    assert find_references(text) == [(3, "one", True), (9, "three", False)]


def test_phone_text_size_decides_the_tap_to_enlarge_cue() -> None:
    from figure_pipeline.markdown import PHONE_MIN_TEXT_PX, phone_text_px

    wide = {"width": 688, "lint": {"metrics": {"smallest_text_natural_px": 14}}}
    narrow = {"width": 300, "lint": {"metrics": {"smallest_text_natural_px": 14}}}
    assert phone_text_px(wide) == pytest.approx(14 * 358 / 688)  # 7.3 px: gets the cue
    assert phone_text_px(wide) < PHONE_MIN_TEXT_PX
    assert phone_text_px(narrow) == 14  # shown at natural size on a phone: no cue
    assert phone_text_px({"width": 500}) == PHONE_MIN_TEXT_PX  # unmeasured: no cue


def test_absolute_url_base_is_left_for_mkdocs_to_rewrite() -> None:
    assert figure_url("/figures", "pod.svg", "kubernetes/pods.md") == "/figures/pod.svg"
    assert figure_url("/figures/", "pod.svg", None) == "/figures/pod.svg"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("index.md", "figures/pod.svg"),
        ("kubernetes/pods.md", "../figures/pod.svg"),
        ("a/b/c.md", "../../figures/pod.svg"),
        (None, "figures/pod.svg"),
    ],
)
def test_relative_url_base_is_relative_to_the_page_source(page: str | None, expected: str) -> None:
    assert figure_url("figures", "pod.svg", page) == expected


def test_page_path_comes_from_the_generators_rendering_context() -> None:
    class Page:
        path = "service-mesh/sidecars.md"

    class File:
        src_uri = "kubernetes/pods.md"

    class ZensicalLike(markdown.preprocessors.Preprocessor):
        page = Page()

        def run(self, lines: list[str]) -> list[str]:
            return lines

    class MkDocsLike(markdown.treeprocessors.Treeprocessor):
        file = File()

        def run(self, root: Any) -> None:
            return None

    md = markdown.Markdown()
    assert page_source_path(md) is None
    md.treeprocessors.register(MkDocsLike(md), "relpath", 0)
    assert page_source_path(md) == "kubernetes/pods.md"
    md.preprocessors.register(ZensicalLike(md), "rendering_context", 0)
    assert page_source_path(md) == "service-mesh/sidecars.md"


@pytest.mark.parametrize(
    ("outer", "inner"),
    [("````", "```"), ("~~~", "```"), ("```", "~~~"), ("````", "~~~~")],
    ids=["longer-backticks", "tildes-around-backticks", "backticks-around-tildes", "same-char-mixed"],
)
def test_a_fence_closes_only_on_its_own_character_and_length(outer: str, inner: str) -> None:
    # CommonMark: a closing fence uses the opening's character and is at least as long, so a
    # shorter or other-character fence line inside a block is code, not the end of the block.
    text = f"{outer}markdown\n{inner}\n![shown as code](figure:inside)\n{inner}\n{outer}\n![real](figure:after)\n"
    assert find_references(text) == [(6, "after", True)]


def test_a_closing_fence_carries_no_info_string_and_an_unclosed_fence_runs_to_the_end() -> None:
    text = "```\n``` not a close\n![a](figure:inside)\n```\n![b](figure:after)\n~~~~\n![c](figure:never)\n"
    assert find_references(text) == [(5, "after", True)]


def test_fenced_code_is_recognised_in_one_place_only() -> None:
    """Code that finds fenced blocks by its own regex gets nested or longer fences wrong (review
    §2.8): every module and test uses `figure_pipeline.markdown.FenceTracker` instead."""
    from helpers import ROOT

    ad_hoc = re.compile(r"(re\.\w+\(|startswith\().*(```|~~~)|(```|~~~).*\.(match|search|sub)\(")
    own = {"src/figure_pipeline/markdown.py", "tests/test_markdown.py"}
    found = []
    for folder in ("src", "tests", "tools", "scripts", "diagrams"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if relative not in own and ad_hoc.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "track fences with figure_pipeline.markdown.FenceTracker:\n" + "\n".join(found)
