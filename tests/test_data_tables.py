"""Tables leave the build in Material's scroll wrapper, styled by Material's own table rules."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree as etree

from bs4 import BeautifulSoup
from css_rules import StyleRule, style_rules
from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from helpers import ROOT
from site_extensions.data_tables import CLASS, INNER, SCROLLWRAP

MATERIAL_ASSETS = Path(str(files("material"))) / "templates" / "assets"
MATERIAL_SELECTOR = "table:not([class])"
OURS = f"table.{CLASS}"
TABLE = "| Field | Default |\n|---|---|\n| `replicas` | 1 |\n"


def _convert(source: str) -> BeautifulSoup:
    html = Markdown(extensions=["tables", "admonition", "site_extensions.data_tables"]).convert(source)
    return BeautifulSoup(html, "html.parser")


def _only(path: Path) -> str:
    (found,) = path.parent.glob(path.name)
    return found.read_text(encoding="utf-8")


def test_a_table_is_wrapped_as_materials_mount_would_wrap_it_and_marked() -> None:
    soup = _convert(f"Before.\n\n{TABLE}\nAfter.\n")
    (table,) = soup.find_all("table")
    assert table["class"] == [CLASS]
    inner = table.parent
    assert inner.name == "div" and inner["class"] == [INNER] and inner.find_all(recursive=False) == [table]
    outer = inner.parent
    assert outer.name == "div" and outer["class"] == [SCROLLWRAP] and outer.find_all(recursive=False) == [inner]
    # In its place: between the two paragraphs, which keep their text.
    assert [e.name for e in soup.find_all(recursive=False)] == ["p", "div", "p"]
    assert soup.get_text().split() == ["Before.", "Field", "Default", "replicas", "1", "After."]


def test_tables_inside_blocks_are_wrapped_and_tables_with_a_class_are_not() -> None:
    soup = _convert(f"!!! note\n\n    {TABLE.replace(chr(10), chr(10) + '    ')}\n{TABLE}")
    assert len(soup.select(f"div.admonition > div.{SCROLLWRAP} > div.{INNER} > {OURS}")) == 1
    assert len(soup.select(f"{OURS}")) == 2
    md = Markdown(extensions=["tables", "site_extensions.data_tables"])
    md.treeprocessors.register(_ClassedTable(md), "classed", 6)  # as another extension would add one
    classed = BeautifulSoup(md.convert(TABLE), "html.parser")
    assert classed.table["class"] == ["highlighttable"] and not classed.select(f".{SCROLLWRAP}")


class _ClassedTable(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            table.set("class", "highlighttable")


def _rules(css: str, selector_part: str) -> list[StyleRule]:
    return [rule for rule in style_rules(css) if selector_part in rule.selector]


def test_data_tables_have_exactly_materials_table_rules() -> None:
    """site.css carries every rule Material writes for `table:not([class])` over to `table.data-table`."""
    material = _only(MATERIAL_ASSETS / "stylesheets" / "main.*.min.css")
    expected = [
        rule._replace(selector=rule.selector.replace(MATERIAL_SELECTOR, OURS))
        for rule in _rules(material, MATERIAL_SELECTOR)
    ]
    ours = _rules((ROOT / "docs" / "stylesheets" / "site.css").read_text(encoding="utf-8"), f".{CLASS}")
    assert expected, "Material no longer styles table:not([class]): revisit site_extensions/data_tables.py"
    missing = [rule for rule in expected if rule not in ours]
    extra = [rule for rule in ours if rule not in expected]
    assert not missing and not extra, (
        "docs/stylesheets/site.css must carry Material's table rules over to table.data-table, "
        f"selector for selector.\nMissing: {[r.css() for r in missing]}\nNot Material's: {[r.css() for r in extra]}"
    )


def test_materials_mount_still_wraps_tables_without_a_class_in_the_same_markup() -> None:
    bundle = _only(MATERIAL_ASSETS / "javascripts" / "bundle.*.min.js")
    assert f'"{MATERIAL_SELECTOR}"' in bundle, "Material's mount selects other tables now: revisit data_tables"
    markup = f'("div",{{class:"{SCROLLWRAP}"}},x("div",{{class:"{INNER}"}},e))'
    assert markup in bundle, "Material wraps tables in other markup now: revisit site_extensions/data_tables.py"
