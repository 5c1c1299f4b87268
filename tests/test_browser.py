"""The built site in headless Chromium: figures load, nothing leaves 127.0.0.1, search sees figures."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers import load_all_images, page_urls, site_articles

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []  # type: ignore[attr-defined]
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    # ERR_ABORTED is the browser cancelling a request because the test navigated on.
    tab.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and tab.problems.append(f"failed: {r.url}"))
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


def test_every_page_loads_its_figures_without_errors_or_third_party_requests(built_site, site_server, page) -> None:
    urls = page_urls(built_site, site_server)
    assert urls
    figures_seen = 0
    for url in urls:
        page.goto(url, wait_until="load")
        load_all_images(page)
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


def _figure_only_word(built_site: Path) -> tuple[str, str]:
    """A word that appears in some figure's labels and in no page's prose, with that page's path."""
    import re

    figure_words: dict[str, str] = {}
    prose_words: set[str] = set()
    for page, article in site_articles(built_site):
        for details in article.select(".figure-text"):
            for word in re.findall(r"[a-z]{6,}", details.get_text(" ").lower()):
                figure_words.setdefault(word, page)
            details.decompose()
        for img in article.select("img"):
            img.decompose()
        prose_words.update(re.findall(r"[a-z]+", article.get_text(" ").lower()))
    only = sorted(w for w in figure_words if w not in prose_words)
    assert only, "every figure label also appears in prose: nothing to prove"
    return only[0], figure_words[only[0]]


def test_search_finds_a_label_that_only_appears_inside_a_figure(built_site, site_server, page) -> None:
    word, where = _figure_only_word(built_site)
    page.goto(site_server, wait_until="load")
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    page.locator("input[data-md-component='search-query']").fill(word)
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    links = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    target = "" if where == "." else where.strip("/") + "/"
    assert any(urlparse(link).path == urlparse(site_server + target).path for link in links), (word, where, links)
    assert not page.problems, page.problems


def test_search_index_sitemap_and_versions_wait_until_the_page_has_loaded(site_server, page) -> None:
    # overrides/partials/fetch-later.html: the first paint shares the network with none of them.
    page.goto(site_server + "kubernetes/pods/", wait_until="load")
    later = ("search/search_index.json", "sitemap.xml", "versions.json")
    page.wait_for_function(
        "names => names.every(n => performance.getEntriesByType('resource').some(e => e.name.endsWith(n)))",
        arg=list(later),
        timeout=15000,
    )
    timings = page.evaluate(
        """names => {
          const loaded = performance.getEntriesByType('navigation')[0].loadEventEnd;
          const painted = performance.getEntriesByName('first-contentful-paint')[0].startTime;
          return names.map(n => [n, performance.getEntriesByType('resource').find(e => e.name.endsWith(n)).startTime,
                                 Math.max(loaded, painted)]);
        }""",
        list(later),
    )
    early = [(name, round(start), round(ready)) for name, start, ready in timings if start < ready]
    assert not early, f"requested before the page had loaded and painted (name, start ms, ready ms): {early}"
    assert not page.problems, page.problems


def test_palette_mounts_without_restyling_the_page_and_still_switches(site_server, page) -> None:
    # overrides/partials/quiet-palette.html: no data-md-color-switching on the body during load.
    page.add_init_script(
        """window.__switching = 0;
        new MutationObserver(records => {
          for (const r of records) if (r.attributeName === 'data-md-color-switching') window.__switching++;
        }).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-md-color-switching']});"""
    )
    page.goto(site_server + "glossary/", wait_until="load")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__switching") == 0, "Material's palette restyled the whole page at load"
    before = page.evaluate("document.body.getAttribute('data-md-color-media')")
    page.locator("form[data-md-component='palette'] label:not([hidden])").first.click()
    page.wait_for_function("m => document.body.getAttribute('data-md-color-media') !== m", arg=before)
    # After load a reader's switch is Material's own, transitions held off as it intends.
    assert page.evaluate("window.__switching") >= 1
    assert not page.problems, page.problems


def test_color_scheme_meta_changes_nothing_at_load_and_follows_a_palette_switch(site_server, page) -> None:
    # overrides/partials/quiet-palette.html: any write to a color-scheme meta restyles every element.
    page.add_init_script(
        """window.__schemeWrites = 0;
        new MutationObserver(records => {
          for (const r of records) {
            const metas = r.type === 'childList' ? [...r.addedNodes] : [r.target];
            if (metas.some(m => m.nodeName === 'META' && m.getAttribute('name') === 'color-scheme' &&
                document.body && document.readyState !== 'complete')) window.__schemeWrites++;
          }
        }).observe(document, {childList: true, attributes: true, subtree: true,
                              attributeFilter: ['name', 'content']});"""
    )
    page.goto(site_server + "glossary/", wait_until="load")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__schemeWrites") == 0, "a color-scheme meta changed after the body was parsed"
    scheme = "[...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content)"
    header = "getComputedStyle(document.querySelector('.md-header')).colorScheme"
    assert page.evaluate(scheme) == [page.evaluate(header)]
    palette = "form[data-md-component='palette'] label:not([hidden])"
    for _ in range(2):  # automatic -> light -> dark
        before = page.evaluate("document.body.getAttribute('data-md-color-media')")
        page.locator(palette).first.click()
        page.wait_for_function("m => document.body.getAttribute('data-md-color-media') !== m", arg=before)
        page.wait_for_function(f"{scheme}.join() === {header}")
    assert page.evaluate(scheme) == ["dark"]
    # After an instant navigation (which drops head elements the next page lacks) it still follows.
    path = urlparse(page.url).path
    page.evaluate("window.__samePage = true")
    page.locator("a.md-footer__link--next").first.click()
    page.wait_for_function("p => location.pathname !== p", arg=path)
    assert page.evaluate("window.__samePage === true"), "the navigation was not instant"
    before = page.evaluate("document.body.getAttribute('data-md-color-media')")
    page.locator(palette).first.click()  # dark -> automatic (light here)
    page.wait_for_function("m => document.body.getAttribute('data-md-color-media') !== m", arg=before)
    page.wait_for_function(f"{scheme}.join() === {header}")
    assert page.evaluate(scheme) == ["light"]
    assert not page.problems, page.problems


def test_links_are_final_before_the_bundle_runs_and_instant_navigation_keeps_the_sheets(site_server, page) -> None:
    # overrides/partials/resolved-links.html: Material's instant navigation would rewrite every
    # relative href and src once the page is laid out, and the browser restyles what changed (for
    # the head's stylesheet links, everything). The partial gives them their final URL as parsed.
    page.add_init_script(
        """window.__lateHrefs = []; window.__relativeAtBundle = null;
        const ABSOLUTE = /^(?:[a-z]+:)?\\/\\//i;
        let bundleRan = false; // Material's bundle ends its first run by publishing window.document$
        Object.defineProperty(window, 'document$', {configurable: true, set(value) {
          bundleRan = true;
          Object.defineProperty(window, 'document$', {value, writable: true, configurable: true});
        }});
        document.addEventListener('readystatechange', () => {
          // 'interactive': parsing is done and the deferred bundle has not run yet.
          if (document.readyState !== 'interactive') return;
          // What the bundle's rewrite would still change: a relative URL whose property differs.
          window.__relativeAtBundle = [...document.querySelectorAll('[href], [src]')].flatMap(e => {
            const name = ['href', 'src'].find(n => e.getAttribute(n) && !ABSOLUTE.test(e.getAttribute(n)));
            const value = name && e.getAttribute(name);
            return name && typeof e[name] === 'string' && e[name] !== value ? [value] : [];
          });
        });
        new MutationObserver(records => {
          for (const r of records) {
            const now = r.target.getAttribute(r.attributeName);
            // The bundle's rewrite: the same address made absolute, once the bundle has run.
            if (bundleRan && r.oldValue && !ABSOLUTE.test(r.oldValue) && now !== r.oldValue &&
                now === new URL(r.oldValue, document.baseURI).href)
              window.__lateHrefs.push(r.target.nodeName + ' ' + r.oldValue);
          }
        }).observe(document, {attributes: true, subtree: true, attributeOldValue: true,
                              attributeFilter: ['href', 'src']});"""
    )
    for path in ("glossary/", "containers/"):
        page.goto(site_server + path, wait_until="load")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__relativeAtBundle") == [], f"{path}: relative URLs left for Material's bundle"
        assert page.evaluate("window.__lateHrefs") == [], f"{path}: Material's bundle rewrote links of the page"
    sheets = "[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.getAttribute('href'))"
    first = page.evaluate(sheets)
    origin = "{0.scheme}://{0.netloc}/".format(urlparse(site_server))
    assert first and all(href.startswith(origin) for href in first), first
    fetched = "performance.getEntriesByType('resource').filter(e => e.name.endsWith('.css')).map(e => e.name)"
    assert sorted(page.evaluate(fetched)) == sorted(set(page.evaluate(fetched))), "a stylesheet was fetched twice"
    page.evaluate("window.__samePage = true")
    page.locator("a[href$='/containers/images/']:visible").first.click()
    page.wait_for_function("() => location.pathname.endsWith('/containers/images/')")
    assert page.evaluate("window.__samePage === true"), "the navigation was not instant"
    page.wait_for_timeout(300)
    assert page.evaluate(sheets) == first, "instant navigation replaced the stylesheets"
    assert sorted(page.evaluate(fetched)) == sorted(set(page.evaluate(fetched)))
    assert not page.problems, page.problems


_STYLES_OF_A_DATA_TABLE_AND_OF_MATERIALS_TABLE = """() => {
  // A copy of the first data table without its class, in Material's wrapper, beside it: Material
  // styles that copy with its own table:not([class]) rules; site.css must give the same result.
  const wrap = document.querySelector('article .md-typeset__scrollwrap');
  const copy = wrap.cloneNode(true);
  copy.querySelector('table').removeAttribute('class');
  wrap.after(copy);
  const differences = [];
  for (const part of ['table', 'thead th', 'tbody td', 'tbody tr', 'td > *']) {
    const [ours, material] = [wrap, copy].map(w => w.querySelector(part));
    if (!ours) continue;
    const [a, b] = [ours, material].map(e => getComputedStyle(e));
    for (const name of a) if (a.getPropertyValue(name) !== b.getPropertyValue(name))
      differences.push(`${part} ${name}: ${a.getPropertyValue(name)} (Material: ${b.getPropertyValue(name)})`);
  }
  const [size, materials] = [wrap, copy].map(w => `${w.offsetWidth}x${w.offsetHeight}`);
  if (size !== materials) differences.push(`size ${size} (Material: ${materials})`);
  copy.remove();
  return differences;
}"""


def test_materials_mount_moves_no_table_and_data_tables_look_like_materials(site_server, page) -> None:
    # site_extensions.data_tables: tables are wrapped at build time, so Material's mount does not
    # take each one out of the laid-out page and put it back (a second layout of every table).
    page.add_init_script(
        """window.__movedTables = [];
        new MutationObserver(records => {
          if (document.readyState === 'loading') return; // the parser inserting the page
          for (const r of records) for (const node of r.removedNodes)
            if (node.nodeName === 'TABLE') window.__movedTables.push(node);
        }).observe(document, {childList: true, subtree: true});"""
    )
    moved = "window.__movedTables.filter(t => t.isConnected).length"
    unwrapped = (
        "[...document.querySelectorAll('article table:not([class])')].length + "
        "document.querySelectorAll('.md-typeset__scrollwrap .md-typeset__scrollwrap').length"
    )
    page.goto(site_server + "changes-since-2021/", wait_until="load")
    page.wait_for_function("() => window.document$ !== undefined")
    page.wait_for_timeout(300)
    assert page.evaluate(moved) == 0, "Material's mount took tables out of the page and put them back"
    assert page.evaluate("document.querySelectorAll('article table.data-table').length") >= 4
    assert page.evaluate(unwrapped) == 0
    assert page.evaluate(_STYLES_OF_A_DATA_TABLE_AND_OF_MATERIALS_TABLE) == []
    page.emulate_media(media="print")
    assert page.evaluate(_STYLES_OF_A_DATA_TABLE_AND_OF_MATERIALS_TABLE) == [], "in print"
    page.emulate_media(media="screen")
    page.evaluate("window.__samePage = true")
    page.locator("article a[href*='/kubernetes/services-and-networking/']").first.click()
    page.wait_for_function("() => location.pathname.endsWith('/kubernetes/services-and-networking/')")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__samePage === true"), "the navigation was not instant"
    assert page.evaluate(moved) == 0 and page.evaluate(unwrapped) == 0, "after instant navigation"
    assert not page.problems, page.problems
