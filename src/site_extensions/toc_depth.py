"""Python-Markdown extension: a shallower table of contents on the pages that ask for one.

The glossary has a heading per term: 25 letters (`##`) and 203 terms (`###`). Material draws a
page's table of contents twice, in the sidebar beside the page and in the navigation menu of
small screens, and its scroll tracking follows every entry. The whole table then makes up more than
half the glossary's DOM, 1474 of 2674 elements, and a phone spends its load on it. The letters
alone make a table a reader can scan, and the page's own A–Z line and search find the terms.

Run after `toc`, this tree processor drops the entries below the configured heading level from
the page's `toc_tokens`, the table MkDocs and Zensical draw. The headings, their anchors and
permalinks, and the search sections they start are unchanged.

    markdown_extensions:
      - site_extensions.toc_depth:
          pages: {glossary.md: 2}
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from figure_pipeline.markdown import page_source_path


def prune(tokens: list[dict[str, Any]], depth: int) -> list[dict[str, Any]]:
    """`tokens` (Python-Markdown's nested `toc_tokens`) without the entries below level `depth`."""
    return [
        {**token, "children": prune(token.get("children", []), depth)} for token in tokens if token["level"] <= depth
    ]


class TocDepthProcessor(Treeprocessor):
    """Prunes the table of contents of each configured page to its heading level."""

    def __init__(self, md: Markdown, pages: dict[str, int]) -> None:
        super().__init__(md)
        self.pages = {page.replace("\\", "/"): int(depth) for page, depth in pages.items()}

    def run(self, root: etree.Element) -> None:
        path = page_source_path(self.md)
        depth = self.pages.get((path or "").replace("\\", "/"))
        if depth is not None:
            self.md.toc_tokens = prune(getattr(self.md, "toc_tokens", []), depth)  # type: ignore[attr-defined]


class TocDepthExtension(Extension):
    """Registers the processor just after Python-Markdown's `toc` tree processor (priority 5)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"pages": [{}, "Pages (paths relative to the docs folder) and the deepest heading level listed"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(TocDepthProcessor(md, dict(self.getConfig("pages"))), "toc_depth", 4)


def makeExtension(**kwargs: Any) -> TocDepthExtension:
    """Python-Markdown's entry point for `site_extensions.toc_depth`."""
    return TocDepthExtension(**kwargs)
