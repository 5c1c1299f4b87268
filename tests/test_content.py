"""Every page meets the writing bar: metadata, structure, length, links, own words."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "examples" not in p.parts)
SECTION_PAGES = [p for p in PAGES if p.parent != DOCS]
SEED_TOOL = ROOT.parent / "shared" / "tools" / "seed_overlap.py"


def _split(page: Path) -> tuple[dict, str]:
    text = page.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert match, f"{page.relative_to(ROOT)}: starts with YAML front matter (---)"
    return yaml.safe_load(match.group(1)) or {}, match.group(2)


def _prose_words(body: str) -> int:
    body = re.sub(r"```.*?```", "", body, flags=re.S)
    body = re.sub(r"^(--8<--|\*\[|!\[).*$", "", body, flags=re.M)
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", body))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_has_description_and_one_title(page: Path) -> None:
    meta, body = _split(page)
    description = meta.get("description", "")
    assert 50 <= len(description) <= 170, f"{page.name}: description of 50-170 characters, got {len(description)}"
    prose = re.sub(r"^(```|~~~).*?^\1", "", body, flags=re.S | re.M)
    assert len(re.findall(r"^# ", prose, re.M)) == 1, f"{page.name}: exactly one # heading"


@pytest.mark.parametrize("page", SECTION_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_section_page_has_depth_figure_and_sources(page: Path) -> None:
    _, body = _split(page)
    name = page.relative_to(DOCS)
    assert _prose_words(body) >= 700, f"{name}: {_prose_words(body)} words of explanation; at least 700"
    assert "](figure:" in body, f"{name}: has no figure"
    assert re.search(r"\]\(https://", body), f"{name}: links no primary source"
    assert re.search(r"\]\((\.\./)?[\w/-]+\.md", body), f"{name}: links no related page"


def test_descriptions_are_unique() -> None:
    seen: dict[str, str] = {}
    for page in PAGES:
        description = _split(page)[0].get("description", "")
        assert description not in seen, f"{page.name} repeats the description of {seen[description]}"
        seen[description] = page.name


def test_every_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES:
        rel = page.relative_to(DOCS).as_posix()
        assert f" {rel}" in config, f"{rel} is not in the nav of mkdocs.yml"


@pytest.mark.skipif(not SEED_TOOL.is_file(), reason="the shared seed tool is not beside this checkout")
def test_no_sentence_is_copied_from_the_2021_seed() -> None:
    result = subprocess.run(
        [sys.executable, str(SEED_TOOL), str(DOCS), "10"], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "", f"pages repeat the seed article word for word:\n{result.stdout}"
