"""The real site, built with `mkdocs build --strict`."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)


def test_every_nav_page_is_built(built_site: Path) -> None:
    sources = sorted((ROOT / "docs").rglob("*.md"))
    assert len(_pages(built_site)) >= len(sources)


def test_figure_images_exist_for_every_figure_reference(built_site: Path) -> None:
    for page in _pages(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("figure.nutshell-figure img"):
            target = (page.parent / img["src"].split("#")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(built_site)} points at missing {img['src']}"
        assert not soup.select(".figure-error"), f"{page.relative_to(built_site)} shows a figure error"


def test_no_generated_files_in_docs_or_diagrams() -> None:
    generated = [p for p in (ROOT / "docs").rglob("*") if p.suffix in {".png", ".svg"}]
    generated += [p for p in (ROOT / "diagrams").iterdir() if p.suffix in {".png", ".svg", ".dot"}]
    assert not generated


def test_no_third_party_urls_in_built_html(built_site: Path) -> None:
    for page in _pages(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag):
                if tag == "link" and {"canonical", "alternate"} & set(element.get("rel", [])):
                    continue  # not fetched by the browser
                url = element.get(attr) or ""
                assert not url.startswith(("http://", "https://", "//")), f"{page}: loads {url}"
