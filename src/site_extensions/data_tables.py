"""Python-Markdown extension: data tables leave the build already in Material's scroll wrapper.

Material's bundle wraps every `table:not([class])` of a page in
`div.md-typeset__scrollwrap > div.md-typeset__table` as it mounts, so the table scrolls sideways
on a narrow screen instead of widening the page. It does so by taking each table out of the page
and putting it back inside the wrapper, after the browser has already laid the page out: every
table is styled and laid out a second time, in one task. On a phone that is most of the page's
blocking time where tables are long: Lighthouse's total blocking time on /changes-since-2021/ (73
rows) is 120 ms with the wrap done at load and 20 ms with it done here (median of 5 paired runs,
`make audit ARGS="--variant no-data-tables"`).

This tree processor writes the same wrapper into the HTML and gives each table the class
`data-table`, which Material's mount skips. Material styles only `table:not([class])`, so
docs/stylesheets/site.css carries those rules over to `table.data-table`, selector for selector;
`tests/test_data_tables.py` fails when an upgrade of Material changes them. Tables that already have a
class (code line numbers, other extensions' tables) are left alone.

    markdown_extensions:
      - site_extensions.data_tables
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

CLASS = "data-table"
"""The class of a table wrapped at build time; Material's table styles are carried over to it."""

SCROLLWRAP = "md-typeset__scrollwrap"
INNER = "md-typeset__table"


def wrap(parent: etree.Element, table: etree.Element) -> None:
    """Put `table` inside Material's two wrapper divs, in its place in `parent`, and mark it."""
    outer = etree.Element("div", {"class": SCROLLWRAP})
    inner = etree.SubElement(outer, "div", {"class": INNER})
    index = list(parent).index(table)
    parent.remove(table)
    outer.tail, table.tail = table.tail, None
    inner.append(table)
    table.set("class", CLASS)
    parent.insert(index, outer)


class DataTablesProcessor(Treeprocessor):
    """Wraps every table without a class, as Material's mount would, and gives it `data-table`."""

    def run(self, root: etree.Element) -> None:
        tables = [(parent, child) for parent in root.iter() for child in parent if child.tag == "table"]
        for parent, table in tables:
            if table.get("class") is None:
                wrap(parent, table)


class DataTablesExtension(Extension):
    """Registers the processor after the inline and abbreviation tree processors."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(DataTablesProcessor(md), "data_tables", 5)


def makeExtension(**kwargs: Any) -> DataTablesExtension:
    """Python-Markdown's entry point for `site_extensions.data_tables`."""
    return DataTablesExtension(**kwargs)
