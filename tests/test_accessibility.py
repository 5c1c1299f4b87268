"""Every built page, in headless Chromium: axe-clean in both palettes, keyboard-reachable controls,
a working full-size figure dialog, tooltips and figures after instant navigation, and a helpful 404 page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers import load_all_images, page_urls

pytestmark = [pytest.mark.browser, pytest.mark.slow]


# mkdocs-print-site's section of one page; its chapters are `section.print-page.md-section`.
PRINTED_PAGE = "section.print-page:not(.md-section)"
FULL = ("light", 1280)


@pytest.mark.parametrize(
    ("scheme", "width"),
    [("light", 1280), ("dark", 1280), ("light", 390)],
    ids=["light", "dark", "phone"],
)
def test_every_page_has_zero_axe_violations(
    built_site: Path, site_server: str, browser, scheme: str, width: int
) -> None:
    """The phone width makes wide tables and code blocks scroll, which axe checks for keyboard access."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    tab = context.new_page()
    found = []
    for url in page_urls(built_site, site_server):
        tab.goto(url, wait_until="load")
        expected = "slate" if scheme == "dark" else "default"
        assert tab.get_attribute("body", "data-md-color-scheme") == expected
        # The print page repeats every page, each of which this test checks on its own: in the
        # light pass axe checks all of it, in the others what the print page adds (cover, chapter
        # titles, navigation): a few seconds instead of about 40 a pass.
        only_its_own = url.endswith("/print_page/") and (scheme, width) != FULL
        result = axe.run(tab, context={"exclude": [[PRINTED_PAGE]]} if only_its_own else None).response
        for violation in result["violations"]:
            targets = [n["target"] for n in violation["nodes"][:3]]
            found.append(f"{url} [{violation['id']}] {violation['help']}: {targets}")
    context.close()
    assert not found, "\n".join(found)


def test_keyboard_reaches_search_navigation_and_palette_toggle(site_server: str, browser) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site_server + "kubernetes/", wait_until="load")
    reached = set()
    for _ in range(80):
        tab.keyboard.press("Tab")
        reached.add(
            tab.evaluate(
                """() => {
                const el = document.activeElement;
                if (el.matches('.md-search__input')) return 'search';
                if (el.matches('[name="__palette"]')) return 'palette';
                if (el.closest('.md-nav--primary, .md-tabs')) return 'navigation';
                if (el.closest('.md-content')) return 'content';
                return 'other';
            }"""
            )
        )
    tab.close()
    assert {"search", "palette", "navigation", "content"} <= reached, reached


def test_slash_key_opens_search(site_server: str, browser) -> None:
    tab = browser.new_page()
    tab.goto(site_server, wait_until="load")
    tab.keyboard.press("/")
    assert tab.evaluate("document.activeElement.matches('.md-search__input')")
    tab.close()


def test_figure_opens_full_size_in_a_dialog_zooms_and_closes_with_escape(site_server: str, browser) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site_server, wait_until="load")
    link = tab.locator("figure.nutshell-figure a.figure-open--light").first
    link.scroll_into_view_if_needed()
    link.focus()
    tab.keyboard.press("Enter")  # keyboard users open it as a link
    view = tab.locator("dialog.figure-dialog[open] .figure-dialog__view img")
    view.wait_for(timeout=10000)
    tab.wait_for_function(
        "() => { const i = document.querySelector('dialog[open] .figure-dialog__view img'); "
        "return i && i.complete && i.naturalWidth > 0; }"
    )
    assert tab.evaluate("location.pathname").endswith("/"), "the page navigated to the SVG instead of the dialog"
    fitted = view.bounding_box()["width"]
    assert fitted > 300
    assert tab.get_attribute("dialog.figure-dialog", "aria-label").startswith("Figure 1.")
    tab.locator(".figure-dialog__zoom").click()
    assert tab.get_attribute(".figure-dialog__zoom", "aria-pressed") == "true"
    assert view.bounding_box()["width"] > fitted
    tab.keyboard.press("Escape")
    tab.wait_for_selector("dialog.figure-dialog[open]", state="detached", timeout=10000)
    assert tab.evaluate("document.activeElement.matches('a.figure-open--light')"), "focus did not return to the figure"
    tab.close()


def test_figure_link_opens_the_svg_without_the_script(site_server: str, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_server, wait_until="load")
    href = tab.get_attribute("figure.nutshell-figure a.figure-open--light", "href")
    response = tab.request.get(urljoin(site_server, href))
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    context.close()


def test_instant_navigation_keeps_figures_dialog_and_tooltips_working(site_server: str, browser) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site_server, wait_until="load")
    tab.evaluate("window.__sameDocument = true")
    tab.locator(".md-tabs__link", has_text="Kubernetes").first.click()
    tab.wait_for_url("**/kubernetes/")
    assert tab.evaluate("window.__sameDocument === true"), "instant navigation did a full page load"
    load_all_images(tab)
    assert tab.eval_on_selector_all(
        "figure.nutshell-figure img[src$='#only-light']", "els => els.length > 0 && els.every(e => e.naturalWidth > 0)"
    )
    # Glossary terms are focusable and show their definition on focus.
    term = tab.locator(".md-typeset abbr[title]").first
    assert term.get_attribute("tabindex") == "0"
    term.focus()
    tab.wait_for_selector(".md-tooltip--active, .md-tooltip2--active", timeout=5000)
    # The full-size dialog still opens after the page change.
    image = tab.locator("figure.nutshell-figure img[src$='#only-light']").first
    image.scroll_into_view_if_needed()
    image.click()
    tab.locator("dialog.figure-dialog[open] .figure-dialog__view img").wait_for(timeout=10000)
    assert tab.evaluate("window.__sameDocument === true"), "clicking the figure left the page"
    tab.close()


def test_glossary_tooltip_mounts_on_hover_describes_the_term_and_escape_dismisses_it(site_server: str, browser) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(urljoin(site_server, "kubernetes/pods/"), wait_until="load")
    # Lazy: nothing is mounted until a reader points at or focuses a term.
    assert tab.locator(".md-tooltip2").count() == 0
    term = tab.locator(".md-typeset abbr[title]").first.element_handle()
    definition = term.get_attribute("title")
    term.scroll_into_view_if_needed()
    term.hover()
    tip = tab.wait_for_selector(".md-tooltip2--active[role=tooltip]", timeout=5000)
    assert tip.text_content() == definition
    assert term.get_attribute("aria-describedby") == tip.get_attribute("id")
    assert term.get_attribute("title") is None, "the native tooltip would cover the definition"
    below = tip.query_selector(".md-tooltip2__inner").bounding_box()
    box = term.bounding_box()
    assert abs((below["x"] + below["width"] / 2) - (box["x"] + box["width"] / 2)) < 2
    assert box["y"] + box["height"] <= below["y"] <= box["y"] + box["height"] + 16
    tab.keyboard.press("Escape")
    tab.wait_for_selector(".md-tooltip2--active", state="detached", timeout=5000)
    assert term.get_attribute("title") == definition and term.get_attribute("aria-describedby") is None
    tab.close()


def test_missing_page_gets_a_helpful_404(site_server: str, browser) -> None:
    tab = browser.new_page()
    failed: list[str] = []
    tab.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    tab.on("requestfailed", lambda r: failed.append(r.url))
    response = tab.goto(site_server + "no/such/page/", wait_until="networkidle")
    assert response is not None and response.status == 404
    # Search, the sitemap (instant navigation) and versions.json resolve from a missing page too.
    assert failed == [site_server + "no/such/page/"], failed
    text = tab.inner_text("article")
    assert "Page not found" in text
    links = [
        tab.locator("article a", has_text=s).first.get_attribute("href")
        for s in ("Containers", "Kubernetes", "Service mesh")
    ]
    for href in links:
        target = tab.request.get(urljoin(site_server, href))
        assert target.status == 200, f"the 404 page links to {href}, which answers {target.status}"
    load_all_images(tab)
    assert tab.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    tab.close()


# The smallest font size in an SVG's text, and how many px it comes out at as drawn in the page.
_SMALLEST_TEXT_PX = """async (img) => {
  const svg = await (await fetch(img.currentSrc || img.src)).text();
  const sizes = [...svg.matchAll(/font-size="([0-9.]+)/g)].map((m) => Number(m[1]));
  return Math.min(...sizes) * img.getBoundingClientRect().width / Number(img.getAttribute("width"));
}"""


def test_phone_shows_tap_to_enlarge_only_where_text_is_too_small_and_it_opens_the_dialog(
    site_server: str, browser
) -> None:
    # /containers/runtimes/ has a figure shown at natural size on a phone (the CRI stack) and one
    # shrunk to the column (the Docker stack); the cue must follow the text size readers get.
    url = urljoin(site_server, "containers/runtimes/")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    tab = context.new_page()
    tab.goto(url, wait_until="load")
    load_all_images(tab)
    figures = tab.locator("figure.nutshell-figure")
    seen = {"cue": 0, "none": 0}
    for index in range(figures.count()):
        figure = figures.nth(index)
        image = figure.locator("a.figure-open--light img")
        image.scroll_into_view_if_needed()
        text_px = image.evaluate(_SMALLEST_TEXT_PX)
        cue = figure.locator("a.figure-open--light .figure-zoom-cue")
        shown = cue.count() == 1 and cue.is_visible()
        assert shown == (text_px < 11), f"figure {index + 1}: text {text_px:.1f} px on a phone, cue shown: {shown}"
        seen["cue" if shown else "none"] += 1
    assert seen["cue"] and seen["none"], f"the page no longer has both kinds of figure: {seen}"
    cue = tab.locator("figure.nutshell-figure--zoom a.figure-open--light .figure-zoom-cue").first
    assert cue.inner_text() == "Tap to enlarge"
    cue.tap()
    view = tab.locator("dialog.figure-dialog[open] .figure-dialog__view img")
    view.wait_for(timeout=10000)
    assert tab.evaluate("location.pathname").endswith("/containers/runtimes/"), "the tap left the page"
    # On a wide screen the same figure's text reads fine in the column: no cue.
    tab.keyboard.press("Escape")
    tab.set_viewport_size({"width": 1280, "height": 900})
    assert not cue.is_visible(), "the cue shows on a wide screen"
    context.close()
