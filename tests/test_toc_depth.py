"""A page listed in `site_extensions.toc_depth` gets a shallower table of contents, nothing else."""

from __future__ import annotations

from markdown import Markdown

from helpers import PageFile

SOURCE = "# Glossary\n\n## A\n\n### API server\n\nText.\n\n#### Detail\n\n## B\n\n### Bridge\n"


def _convert(page: str) -> tuple[str, list[dict]]:
    md = Markdown(
        extensions=["toc", "site_extensions.toc_depth"],
        extension_configs={"toc": {"permalink": True}, "site_extensions.toc_depth": {"pages": {"glossary.md": 2}}},
    )
    md.treeprocessors.register(PageFile(md, page), "relpath", 0)
    html = md.convert(SOURCE)
    return html, md.toc_tokens  # type: ignore[attr-defined]


def _titles(tokens: list[dict]) -> list[object]:
    return [[t["name"], _titles(t["children"])] if t["children"] else t["name"] for t in tokens]


def test_listed_page_lists_headings_down_to_its_level_and_keeps_every_anchor() -> None:
    html, tokens = _convert("glossary.md")
    assert _titles(tokens) == [["Glossary", ["A", "B"]]]
    for anchor in ("api-server", "detail", "bridge"):  # headings below the level keep id and permalink
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html


def test_other_pages_keep_the_whole_table() -> None:
    _, tokens = _convert("kubernetes/pods.md")
    assert _titles(tokens) == [["Glossary", [["A", [["API server", ["Detail"]]]], ["B", ["Bridge"]]]]]
