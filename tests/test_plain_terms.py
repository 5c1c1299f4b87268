"""The glossary page shows its terms as plain text; every other page keeps the tooltips."""

from __future__ import annotations

from markdown import Markdown

from helpers import PageFile

SOURCE = "Pods run on nodes; a Pod is small.\n\n- a Pod\n\n*[Pod]: The smallest deployable unit."


def _convert(page: str) -> str:
    md = Markdown(
        extensions=["abbr", "site_extensions.plain_terms"],
        extension_configs={"site_extensions.plain_terms": {"pages": ["glossary.md"]}},
    )
    md.treeprocessors.register(PageFile(md, page), "relpath", 0)
    return md.convert(SOURCE)


def test_listed_page_loses_the_abbreviation_markup_and_keeps_the_text() -> None:
    html = _convert("glossary.md")
    assert "<abbr" not in html
    assert "<p>Pods run on nodes; a Pod is small.</p>" in html
    assert "<li>a Pod</li>" in html


def test_other_pages_keep_the_tooltips_on_focusable_terms() -> None:
    html = _convert("kubernetes/pods.md")
    assert html.count('<abbr tabindex="0" title="The smallest deployable unit.">Pod</abbr>') == 2
