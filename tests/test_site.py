"""The real site, built with `mkdocs build --strict`."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from figure_pipeline.describe import flatten_label
from helpers import ROOT


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)


def _page_url(source: str) -> str:
    """Where MkDocs (directory URLs) writes the page of a docs/ source: `a/b.md` -> `a/b/index.html`."""
    stem = source.removesuffix(".md")
    return (
        f"{stem.removesuffix('index')}index.html"
        if stem == "index" or stem.endswith("/index")
        else f"{stem}/index.html"
    )


def test_every_page_is_built_and_nothing_else(built_site: Path) -> None:
    docs = ROOT / "docs"
    expected = {_page_url(p.relative_to(docs).as_posix()) for p in docs.rglob("*.md")}
    expected.add("print_page/index.html")  # print-site's page of every page
    built = {p.relative_to(built_site).as_posix() for p in _pages(built_site)}
    assert built == expected, f"missing: {sorted(expected - built)}; unexpected: {sorted(built - expected)}"


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


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_titles_descriptions_and_canonical_urls_are_unique(built_site: Path) -> None:
    titles: dict[str, Path] = {}
    descriptions: dict[str, Path] = {}
    for page in _pages(built_site):
        if "print_page" in page.parts:
            continue
        soup = _soup(page)
        title = soup.title.get_text(strip=True)
        description = soup.find("meta", attrs={"name": "description"})["content"]
        assert soup.find("link", rel="canonical")["href"].startswith("http")
        for prop in ("og:title", "og:description", "og:url", "og:type"):
            assert soup.find("meta", property=prop), f"{page}: no {prop}"
        assert title not in titles, f"{page} and {titles.get(title)} share the title {title!r}"
        assert description not in descriptions, f"{page} and {descriptions.get(description)} share a description"
        titles[title], descriptions[description] = page, page


def test_sitemap_lists_every_page(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    for page in _pages(built_site):
        if "print_page" in page.parts:
            continue  # an auxiliary page, deliberately left out of search engines' view
        rel = page.parent.relative_to(built_site).as_posix()
        loc = "" if rel == "." else rel + "/"
        assert f"/dev/{loc}</loc>" in sitemap, f"{loc} missing from sitemap.xml"


def test_internal_links_and_anchors_resolve(built_site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    problems = []
    for page in _pages(built_site):
        soup = _soup(page)
        if "print_page" in page.parts:
            continue  # the generated print page rewrites ids itself; its content is checked below
        for link in soup.select("article a[href]"):
            href = link["href"]
            if href.startswith(("http://", "https://", "mailto:", "javascript:")):
                continue
            path, _, anchor = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page.relative_to(built_site)}: broken link {href}")
                continue
            if anchor and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {el["id"] for el in _soup(target).select("[id]")}
                if anchor not in ids[target]:
                    problems.append(f"{page.relative_to(built_site)}: missing anchor {href}")
    assert not problems, "\n".join(problems[:30])


def test_print_page_holds_every_page_and_figure(built_site: Path) -> None:
    printed = _soup(built_site / "print_page" / "index.html")
    pages = [p for p in _pages(built_site) if "print_page" not in p.parts]
    titles = set()
    for page in pages:
        heading = _soup(page).select_one("article h1")
        for permalink in heading.select(".headerlink"):
            permalink.decompose()
        titles.add(heading.get_text(" ", strip=True))
    text = printed.get_text(" ")
    assert all(t in text for t in titles), sorted(t for t in titles if t not in text)
    shown = sum(len(_soup(p).select("figure.nutshell-figure")) for p in pages)
    assert len(printed.select("figure.nutshell-figure")) == shown


def test_no_markup_is_left_unrendered(built_site: Path) -> None:
    import re

    leftovers = re.compile(r"\+\+[a-z0-9-]+\+\+|\]\(figure:|\[\[benchmark|^\s*!!! |^\s*\*\[[^\]]+\]:", re.M)
    found = []
    for page in _pages(built_site):
        article = _soup(page).select_one("article")
        for code in article.select("code, pre"):  # pages may show the syntax itself
            code.decompose()
        found += [f"{page.relative_to(built_site)}: {m.group(0)!r}" for m in leftovers.finditer(article.get_text())]
    assert not found, found


def test_every_page_links_to_the_print_page(built_site: Path) -> None:
    target = (built_site / "print_page" / "index.html").resolve()
    for page in (p for p in _pages(built_site) if "print_page" not in p.parts):
        link = _soup(page).select_one("article a.md-content__button[href$='print_page/']")
        assert link is not None and link.get("aria-label"), f"{page}: no link to the print page"
        assert (page.parent / link["href"] / "index.html").resolve() == target, f"{page}: {link['href']}"


def test_search_index_holds_every_figure_label_and_glossary_term(built_site: Path) -> None:
    import json
    import re

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"]).lower()
    text = re.sub(r"\s+", " ", text)
    manifest = json.loads((ROOT / ".cache" / "plugin" / "figures" / "manifest.json").read_text(encoding="utf-8"))
    missing = []
    for name, record in manifest["figures"].items():
        model = record["meta"]["model"]
        labels = [n["label"] for n in model["nodes"]] + [e["label"] for e in model["edges"]]
        for label in labels:
            flat = flatten_label(label).lower()
            if flat and flat not in text:
                missing.append(f"{name}: {flat}")
    for glossary in sorted((ROOT / "includes" / "glossary").glob("*.md")):
        for term in re.findall(r"^\*\[([^\]]+)\]:", glossary.read_text(encoding="utf-8"), re.M):
            if term.lower() not in text:
                missing.append(f"glossary: {term}")
    assert not missing, missing[:40]


def test_material_bundle_is_deferred_and_every_script_after_it_too(built_site: Path) -> None:
    # overrides/main.html defers Material's bundle; a classic or inline script after it would run
    # before the bundle it may rely on (CONTRIBUTING.md, Page speed).
    for page in _pages(built_site):
        scripts = _soup(page).select("body script")
        bundle = next((i for i, s in enumerate(scripts) if "/bundle." in s.get("src", "")), None)
        assert bundle is not None, f"{page}: no Material bundle (did a Material upgrade rename it?)"
        assert scripts[bundle].has_attr("defer"), f"{page}: Material's bundle is not deferred (overrides/main.html)"
        after = [s.get("src") or "inline script" for s in scripts[bundle + 1 :] if not s.has_attr("defer")]
        assert not after, f"{page}: scripts after the deferred bundle run before it: {after}"
        if "print_page" not in page.parts:  # site_extensions.print_assets still finds the deferred tag
            assert not any("print-site" in s.get("src", "") for s in scripts), f"{page}: loads print-site.js"


def test_every_table_leaves_the_build_in_materials_scroll_wrapper(built_site: Path) -> None:
    # Material's mount re-lays-out every table:not([class]) it wraps; site_extensions.data_tables
    # writes the wrapper at build time instead (CONTRIBUTING.md, Page speed).
    for page in _pages(built_site):
        article = _soup(page).select_one("article.md-content__inner")
        assert article is not None, page
        # mkdocs-print-site's cover page is its own template, not Markdown: only the print page has it.
        tables = [t for t in article.find_all("table") if not t.find_parent(id="print-site-cover-page")]
        left = [str(t)[:80] for t in tables if not t.get("class")]
        assert not left, f"{page}: tables Material's bundle would wrap at load: {left}"
        for table in article.select("table.data-table"):
            inner, outer = table.parent, table.parent.parent
            assert inner["class"] == ["md-typeset__table"] and outer["class"] == ["md-typeset__scrollwrap"], page


def test_the_glossary_contents_list_its_letters_and_every_term_keeps_its_anchor(built_site: Path) -> None:
    # site_extensions.toc_depth: 25 letters in the table of contents, not 203 terms as well.
    soup = _soup(built_site / "glossary" / "index.html")
    article = soup.select_one("article")
    assert article is not None
    letters = ["#" + h["id"] for h in article.select("h2[id]")]
    for toc in soup.select("nav.md-nav--secondary"):  # beside the page and in the small-screen menu
        assert [a["href"] for a in toc.select("a.md-nav__link")] == letters
    terms = article.select("h3")
    assert len(terms) > 100 and all(t.get("id") and t.select_one(f'a.headerlink[href="#{t["id"]}"]') for t in terms)
    pods = _soup(built_site / "kubernetes" / "pods" / "index.html").select_one(".md-sidebar--secondary")
    assert pods is not None and pods.select("nav.md-nav--secondary li li a"), "other pages keep their ### entries"
