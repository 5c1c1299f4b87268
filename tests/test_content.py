"""Every page meets the writing bar: metadata, structure, length, links, own words.

The rules themselves, and the sentences that state them, live in tests/page_rules.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import page_rules as rules
from figure_pipeline.markdown import find_references, without_fenced_code
from helpers import ROOT
from tools import mkdocs_config

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "examples" not in p.parts)
SECTION_PAGES = [p for p in PAGES if p.parent != DOCS]
# The seed article is not redistributed, so neither is its checker: NUTSHELL_SEED_TOOL, or the
# maintainers' copy beside the checkout.
SEED_TOOL = Path(os.environ.get("NUTSHELL_SEED_TOOL") or ROOT.parent / "shared" / "tools" / "seed_overlap.py")


def _split(page: Path) -> tuple[dict, str]:
    text = page.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert match, f"{page.relative_to(ROOT)}: starts with YAML front matter (---)"
    return yaml.safe_load(match.group(1)) or {}, match.group(2)


def _prose_words(body: str) -> int:
    body = without_fenced_code(body)
    body = re.sub(r"^(--8<--|\*\[|!\[).*$", "", body, flags=re.M)
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", body))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_has_description_and_one_title(page: Path) -> None:
    meta, body = _split(page)
    description = meta.get("description", "")
    low, high = rules.DESCRIPTION_CHARS
    assert low <= len(description) <= high, (
        f"{page.relative_to(ROOT)}: description has {len(description)} characters" + rules.DESCRIPTION.cite()
    )
    prose = without_fenced_code(body)
    titles = len(re.findall(r"^# ", prose, re.M))
    assert titles == 1, f"{page.relative_to(ROOT)}: {titles} `#` headings" + rules.ONE_TITLE.cite()


@pytest.mark.parametrize("page", SECTION_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_section_page_has_depth_figure_and_sources(page: Path) -> None:
    _, body = _split(page)
    name = page.relative_to(ROOT)
    words = _prose_words(body)
    assert words >= rules.MIN_WORDS, f"{name}: {words} words of explanation" + rules.WORDS.cite()
    assert "](figure:" in body, f"{name}: has no figure" + rules.FIGURE.cite()
    assert re.search(r"\]\(https://", body), f"{name}: links no primary source" + rules.SOURCE.cite()
    assert re.search(r"\]\((\.\./)?[\w/-]+\.md", body), f"{name}: links no related page" + rules.RELATED.cite()


def test_descriptions_are_unique() -> None:
    seen: dict[str, str] = {}
    for page in PAGES:
        description = _split(page)[0].get("description", "")
        assert description not in seen, (
            f"{page.relative_to(ROOT)} repeats the description of {seen[description]}" + rules.DESCRIPTION.cite()
        )
        seen[description] = page.name


def _nav_files(entries: Any) -> set[str]:
    """Every page file the `nav:` of mkdocs.yml lists, at any depth (`- x.md` or `- Title: x.md`)."""
    if isinstance(entries, str):
        return {entries}
    if isinstance(entries, list):
        return set().union(*(_nav_files(entry) for entry in entries))
    if isinstance(entries, dict):
        return set().union(*(_nav_files(value) for value in entries.values()))
    return set()


def test_every_page_is_in_the_nav() -> None:
    nav = _nav_files(mkdocs_config.load(ROOT / "mkdocs.yml").get("nav", []))
    for page in PAGES:
        rel = page.relative_to(DOCS).as_posix()
        assert rel in nav, f"docs/{rel} is not in the nav of mkdocs.yml" + rules.IN_NAV.cite()


@pytest.mark.skipif(
    not SEED_TOOL.is_file(),
    reason=f"needs the maintainers' copy of the 2021 seed article's checker at {SEED_TOOL} (outside the "
    "repository; set NUTSHELL_SEED_TOOL to point elsewhere); CI has no copy, so a maintainer runs it",
)
def test_no_sentence_is_copied_from_the_2021_seed() -> None:
    result = subprocess.run(
        [sys.executable, str(SEED_TOOL), str(DOCS), "10"], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "", (
        f"pages repeat the seed article word for word:\n{result.stdout}" + rules.OWN_WORDS.cite()
    )


@pytest.mark.parametrize("page", [p for p in PAGES if p.parent.name == "kubernetes"], ids=lambda p: p.name)
def test_kubernetes_pages_state_the_target_version(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert f'--8<-- "{rules.KUBERNETES_VERSION_INCLUDE}"' in text, (
        f"{page.relative_to(ROOT)}: does not include the Kubernetes version note" + rules.VERSION_INCLUDE.cite()
    )


def figure_sections() -> dict[str, set[str]]:
    """Figure name -> the top-level folders of the pages that show it ('' for pages outside sections)."""
    sections: dict[str, set[str]] = {}
    for page in PAGES:
        section = page.relative_to(DOCS).parts[0] if page.parent != DOCS else ""
        for _, name, _ in find_references(page.read_text(encoding="utf-8")):
            sections.setdefault(name, set()).add(section)
    return sections


def test_section_figures_carry_the_section_prefix() -> None:
    for name, sections in sorted(figure_sections().items()):
        if len(sections) != 1 or "" in sections:
            continue
        (section,) = sections
        prefix = rules.FIGURE_PREFIXES.get(section)
        assert prefix is None or name.startswith(prefix), (
            f"diagrams/{name}.py is shown only on {section}/ pages: name it {prefix}{name}" + rules.FIGURE_PREFIX.cite()
        )


def test_no_scaffold_placeholder_is_left() -> None:
    for path in [*PAGES, *sorted((ROOT / "diagrams").glob("*.py"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert rules.SCAFFOLD_MARKER not in line, (
                f"{path.relative_to(ROOT)}:{number}: replace the placeholder: {line.strip()}"
                + rules.SCAFFOLD_LEFT.cite()
            )


@pytest.mark.parametrize("where", ["CONTRIBUTING.md", ".github/PULL_REQUEST_TEMPLATE.md"])
def test_every_rule_is_stated_word_for_word(where: str) -> None:
    text = (ROOT / where).read_text(encoding="utf-8")
    missing = [rule.statement for rule in rules.ALL if rule.statement not in text]
    assert not missing, f"{where} must state these rules word for word (from tests/page_rules.py):\n" + "\n".join(
        missing
    )
