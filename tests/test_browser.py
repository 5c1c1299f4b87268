"""The built site in headless Chromium: figures load, nothing leaves 127.0.0.1, search sees figures."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _page_urls(built_site: Path, base: str) -> list[str]:
    pages = sorted(p for p in built_site.rglob("index.html") if "assets" not in p.parts)
    return [
        base
        + str(p.parent.relative_to(built_site)).replace(".", "", 1).lstrip("/")
        + ("/" if p.parent != built_site else "")
        for p in pages
    ]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []  # type: ignore[attr-defined]
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: tab.problems.append(f"failed: {r.url}"))
    tab.on("response", lambda r: r.status >= 400 and tab.problems.append(f"HTTP {r.status}: {r.url}"))

    def guard(route) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            tab.problems.append(f"third-party request: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    yield tab
    context.close()


def _load_all_images(tab) -> None:
    # Figures are lazy-loaded; make every one load now and wait for it.
    tab.evaluate(
        """async () => {
            const images = [...document.images];
            images.forEach(img => { img.loading = 'eager'; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
        }"""
    )


def test_every_page_loads_its_figures_without_errors_or_third_party_requests(built_site, site_server, page) -> None:
    urls = _page_urls(built_site, site_server)
    assert urls
    figures_seen = 0
    for url in urls:
        page.goto(url, wait_until="load")
        _load_all_images(page)
        broken = page.eval_on_selector_all(
            "figure.nutshell-figure img", "els => els.filter(e => !(e.naturalWidth > 0)).map(e => e.src)"
        )
        assert not broken, f"{url}: figures that did not load: {broken}"
        figures_seen += page.locator("figure.nutshell-figure").count()
        assert not page.problems, f"{url}: {page.problems}"
    assert figures_seen >= 3


def test_dark_palette_shows_the_dark_figure(site_server, page) -> None:
    page.goto(site_server, wait_until="load")
    figure = page.locator("figure.nutshell-figure").first
    figure.scroll_into_view_if_needed()
    light = figure.locator("img[src$='#only-light']")
    dark = figure.locator("img[src$='#only-dark']")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    assert light.is_visible() and not dark.is_visible()
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    assert dark.is_visible() and not light.is_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=dark.element_handle())


def test_search_finds_a_label_that_only_appears_inside_a_figure(site_server, page) -> None:
    page.goto(site_server, wait_until="load")
    # "reaps, keeps stdio" is an edge label of the runtime stack figure, nowhere in the prose.
    page.locator("label[for='__search']").first.click()
    page.locator("input[data-md-component='search-query']").fill("stdio")
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15000)
    assert "stdio" in page.locator(".md-search-result").inner_text().lower()
    assert not page.problems, page.problems
