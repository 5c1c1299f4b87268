"""The glossary page shows its terms as plain text; every other page keeps the tooltips."""

from __future__ import annotations

from types import SimpleNamespace

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

SOURCE = "Pods run on nodes; a Pod is small.\n\n- a Pod\n\n*[Pod]: The smallest deployable unit."


class _PageFile(Treeprocessor):
    """Stands in for MkDocs' relative-path processor, which carries the page's file."""

    def __init__(self, md: Markdown, src_uri: str) -> None:
        super().__init__(md)
        self.file = SimpleNamespace(src_uri=src_uri)

    def run(self, root: object) -> None:
        return None


def _convert(page: str) -> str:
    md = Markdown(
        extensions=["abbr", "site_extensions.plain_terms"],
        extension_configs={"site_extensions.plain_terms": {"pages": ["glossary.md"]}},
    )
    md.treeprocessors.register(_PageFile(md, page), "relpath", 0)
    return md.convert(SOURCE)


def test_listed_page_loses_the_abbreviation_markup_and_keeps_the_text() -> None:
    html = _convert("glossary.md")
    assert "<abbr" not in html
    assert "<p>Pods run on nodes; a Pod is small.</p>" in html
    assert "<li>a Pod</li>" in html


def test_other_pages_keep_the_tooltips_on_focusable_terms() -> None:
    html = _convert("kubernetes/pods.md")
    assert html.count('<abbr tabindex="0" title="The smallest deployable unit.">Pod</abbr>') == 2
