"""The glossary sends readers on: every entry links to the section of the page that teaches the
term (as kubernetes.io's glossary does), and every tooltip term has an entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT

GLOSSARY = ROOT / "docs" / "glossary.md"
HEADING = re.compile(r"^### (?P<term>.+?)(?: \{ #(?P<id>[\w-]+) \})?$")
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
SEE = re.compile(r"\bSee\s+\[")


@dataclass
class Entry:
    term: str
    anchor: str | None
    line: int
    body: str

    def local_links(self) -> list[str]:
        return [m["target"] for m in LINK.finditer(self.body) if "://" not in m["target"]]


def entries(text: str) -> list[Entry]:
    """The `### term { #id }` entries of the glossary, each with its text up to the next heading."""
    found: list[Entry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = HEADING.match(line)
        if match:
            found.append(Entry(match["term"], match["id"], number, ""))
        elif line.startswith("#"):
            found.append(Entry("", None, number, ""))  # a letter heading ends the entry before it
        elif found:
            found[-1].body += line + "\n"
    return [entry for entry in found if entry.term]


def link_problems(entry: Entry) -> list[str]:
    """What keeps an entry from sending the reader to the section that teaches its term."""
    where = f"docs/glossary.md:{entry.line} ({entry.term})"
    problems = []
    if not entry.anchor:
        problems.append(f"{where}: no explicit id; end the heading with {{ #short-id }} so links survive edits")
    teaching = [t for t in entry.local_links() if not t.startswith(("#", "glossary.md"))]
    if not SEE.search(entry.body) or not teaching:
        problems.append(f"{where}: no 'See [Page](section/page.md#section)' link to the page that teaches it")
    problems += [
        f"{where}: {t} names a page but not the section; add the heading's #anchor" for t in teaching if "#" not in t
    ]
    return problems


def test_entries_are_parsed() -> None:
    parsed = entries(GLOSSARY.read_text(encoding="utf-8"))
    assert len(parsed) > 150, "the glossary parser found too few entries: has the heading format changed?"


def test_every_entry_links_to_the_section_that_teaches_it() -> None:
    problems = [p for entry in entries(GLOSSARY.read_text(encoding="utf-8")) for p in link_problems(entry)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("A term. See [Pods](kubernetes/pods.md).\n", "names a page but not the section"),
        ("A term with no link at all.\n", "no 'See [Page]"),
        ("A term. See [Glossary](#other).\n", "no 'See [Page]"),
    ],
    ids=["page-without-section", "no-link", "only-glossary-link"],
)
def test_link_check_catches_an_entry_that_does_not_send_the_reader_on(body: str, expected: str) -> None:
    problems = link_problems(Entry("Term", "term", 7, body))
    assert any(expected in p and "docs/glossary.md:7" in p for p in problems), problems


def test_link_check_catches_a_heading_without_an_id() -> None:
    (entry,) = entries("## T\n\n### Term\n\nText. See [Pods](kubernetes/pods.md#why).\n")
    assert any("no explicit id" in p for p in link_problems(entry))


def test_every_tooltip_term_has_a_glossary_entry() -> None:
    headings = " | ".join(e.term.lower() for e in entries(GLOSSARY.read_text(encoding="utf-8")))
    missing = []
    for include in sorted((ROOT / "includes" / "glossary").glob("*.md")):
        text = include.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            match = re.match(r"^\*\[([^\]]+)\]:", line)
            if match and not re.search(rf"(?<![\w-]){re.escape(match[1].lower())}(?![\w-])", headings):
                missing.append(
                    f"{include.relative_to(ROOT)}:{number}: '{match[1]}' has no '### ' entry in docs/glossary.md"
                )
    assert not missing, "\n".join(missing)


@pytest.mark.slow
def test_every_glossary_link_reaches_an_existing_section(built_site: Path) -> None:
    """The strict build checks anchors too; this names the entry whose target heading moved."""
    soup = BeautifulSoup((built_site / "glossary" / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article is not None
    broken = []
    ids: dict[Path, set[str]] = {}
    for link in article.select("a[href]"):
        href = link["href"]
        if "://" in href or href.startswith("#") or "#" not in href:
            continue
        path, anchor = href.split("#", 1)
        page = (built_site / "glossary" / path / "index.html").resolve()
        if not page.is_file():
            broken.append(f"{href}: no such page")
            continue
        if page not in ids:
            html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            ids[page] = {str(el["id"]) for el in html.select("[id]")}
        if anchor not in ids[page]:
            broken.append(f"{href}: {page.parent.relative_to(built_site)} has no section #{anchor}")
    assert not broken, "\n".join(broken)
