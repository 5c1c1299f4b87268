"""Python-Markdown extension: no abbreviation tooltips on the pages that define the terms.

The glossary's abbreviations are appended to every page (pymdownx.snippets `auto_append`), so
each term becomes an `<abbr>` with its definition as a tooltip. On the glossary itself every
definition is already on screen, and there Material's tooltips cost a phone about three
quarters of a second of script work (Lighthouse total blocking time 950 ms with them, 230 ms
without). Run after `abbr`, this tree processor turns the `<abbr>` elements of the listed pages
back into plain text. On every other page it makes each term focusable (`tabindex="0"`), so
keyboard and touch readers reach the definition too (docs/javascripts/tooltips.js shows it on
focus); done here rather than in the browser, it costs the page no script work at load.

    markdown_extensions:
      - site_extensions.plain_terms:
          pages: [glossary.md]
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from figure_pipeline.markdown import page_source_path


def unwrap(parent: etree.Element, child: etree.Element) -> None:
    """Replace `child` by its text (an `<abbr>` holds text only), keeping the text around it."""
    text = (child.text or "") + (child.tail or "")
    index = list(parent).index(child)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(child)


class PlainTermsProcessor(Treeprocessor):
    """Unwraps every `<abbr>` on the configured pages; makes it focusable on the others."""

    def __init__(self, md: Markdown, pages: list[str]) -> None:
        super().__init__(md)
        self.pages = {page.replace("\\", "/") for page in pages}

    def run(self, root: etree.Element) -> None:
        path = page_source_path(self.md)
        if path is None or path.replace("\\", "/") not in self.pages:
            for term in root.iter("abbr"):
                term.set("tabindex", "0")
            return
        for parent, child in [(p, c) for p in root.iter() for c in p if c.tag == "abbr"]:
            unwrap(parent, child)


class PlainTermsExtension(Extension):
    """Registers the processor just after Python-Markdown's `abbr` tree processor (priority 7)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"pages": [[], "Pages (paths relative to the docs folder) that show no abbreviation tooltips"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(PlainTermsProcessor(md, list(self.getConfig("pages"))), "plain_terms", 6)


def makeExtension(**kwargs: Any) -> PlainTermsExtension:
    """Python-Markdown's entry point for `site_extensions.plain_terms`."""
    return PlainTermsExtension(**kwargs)
