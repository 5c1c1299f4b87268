"""Search quality: reader queries typed into the built site's search box in Chromium land first
on the page that teaches the subject, and suggestions and highlighting still work.

The queries are what a reader types: terms, tasks and error messages from all three sections,
chosen from the subject, not from the search index. Each names the page a reader should land
on first. A page that ranks first by accident of wording, such as the glossary's one-line entry,
is a miss: the fix is Material's own controls (`search.boost` in a page's front matter, or
`data-search-exclude` on a block), never a result list edited by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import site_articles

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# (query, page that should come first), by section. Error messages are typed as a reader copies
# them from a terminal.
CONTAINERS = [
    ("what is a container", "containers/index.md"),
    ("cgroups v2", "containers/index.md"),
    ("seccomp", "containers/index.md"),
    ("rootless containers", "containers/index.md"),
    ("overlayfs", "containers/images.md"),
    ("image digest", "containers/images.md"),
    ("multi-arch image", "containers/images.md"),
    ("multi-stage build", "containers/building-images.md"),
    ("Dockerfile", "containers/building-images.md"),
    ("build without docker daemon", "containers/building-images.md"),
    ("runc", "containers/runtimes.md"),
    ("dockershim", "containers/runtimes.md"),
    ("crictl", "containers/clients.md"),
    ("Docker Hub rate limit", "containers/registries.md"),
    ("pull-through cache", "containers/registries.md"),
    ("SIGTERM", "containers/lifecycle.md"),
    ("exit code 137", "containers/lifecycle.md"),
]
KUBERNETES = [
    ("ConfigMap", "kubernetes/configuration.md"),
    ("Secret", "kubernetes/configuration.md"),
    ("encrypt secrets at rest", "kubernetes/configuration.md"),
    ("rolling update", "kubernetes/workloads.md"),
    ("rollback deployment", "kubernetes/workloads.md"),
    ("StatefulSet", "kubernetes/workloads.md"),
    ("CronJob", "kubernetes/workloads.md"),
    ("HorizontalPodAutoscaler", "kubernetes/workloads.md"),
    ("liveness probe", "kubernetes/self-healing.md"),
    ("readiness probe", "kubernetes/self-healing.md"),
    ("CrashLoopBackOff", "kubernetes/self-healing.md"),
    ("PodDisruptionBudget", "kubernetes/self-healing.md"),
    ("ImagePullBackOff", "containers/registries.md"),
    ("OOMKilled", "kubernetes/self-healing.md"),
    ("requests and limits", "kubernetes/resources-and-scheduling.md"),
    ("taints and tolerations", "kubernetes/resources-and-scheduling.md"),
    ("PersistentVolumeClaim", "kubernetes/storage.md"),
    ("StorageClass", "kubernetes/storage.md"),
    ("Gateway API", "kubernetes/services-and-networking.md"),
    ("Ingress", "kubernetes/services-and-networking.md"),
    ("kube-proxy", "kubernetes/services-and-networking.md"),
    ("RBAC", "kubernetes/namespaces-and-isolation.md"),
    ("Pod Security Admission", "kubernetes/namespaces-and-isolation.md"),
    ("etcd", "kubernetes/architecture.md"),
    ("init container", "kubernetes/pods.md"),
    ("kubectl debug", "kubernetes/pods.md"),
]
SERVICE_MESH = [
    ("what is a service mesh", "service-mesh/index.md"),
    ("mTLS", "service-mesh/identity-and-mtls.md"),
    ("SPIFFE", "service-mesh/identity-and-mtls.md"),
    ("certificate rotation", "service-mesh/identity-and-mtls.md"),
    ("AuthorizationPolicy", "service-mesh/identity-and-mtls.md"),
    ("sidecar injection", "service-mesh/sidecars.md"),
    ("ambient mode", "service-mesh/sidecarless.md"),
    ("ztunnel", "service-mesh/sidecarless.md"),
    ("OpenTelemetry", "service-mesh/observability.md"),
    ("distributed tracing", "service-mesh/observability.md"),
    ("canary release", "service-mesh/traffic-management.md"),
    ("retries and timeouts", "service-mesh/traffic-management.md"),
    ("circuit breaker", "service-mesh/traffic-management.md"),
    ("fault injection", "service-mesh/traffic-management.md"),
    ("xDS", "service-mesh/data-and-control-plane.md"),
    ("Linkerd vs Istio", "service-mesh/implementations.md"),
]
# The pages demoted with search.boost (they summarise and link the teaching pages) must still
# come first when a reader asks for them by name.
REFERENCE = [
    ("glossary", "glossary.md"),
    ("what changed since 2021", "changes-since-2021.md"),
    ("references", "references.md"),
]
QUERIES = CONTAINERS + KUBERNETES + SERVICE_MESH + REFERENCE

SEARCH_BOX = "input[data-md-component='search-query']"


def page_path(source: str) -> str:
    """The site-relative URL path of a docs page: `kubernetes/pods.md` -> `kubernetes/pods/`."""
    stem = source.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def _translations(tab) -> dict[str, str]:
    config = tab.evaluate("() => document.getElementById('__config').textContent")
    return json.loads(config)["translations"]


def open_search(tab, url: str) -> dict[str, str]:
    """Load `url`, open the search box with Material's `/` shortcut and wait for the index."""
    tab.goto(url, wait_until="load")
    tab.keyboard.press("/")
    texts = _translations(tab)
    meta = tab.locator(".md-search-result__meta")
    # The placeholder appears once the worker has loaded the index and answered the empty query.
    meta.filter(has_text=texts["search.result.placeholder"]).wait_for(timeout=30000)
    return texts


def search(tab, query: str, texts: dict[str, str]) -> list[dict[str, str]]:
    """Type `query` into the search box and return the first result group's links
    (page first, then its sections), each with its site-relative path, anchor and title."""
    box = tab.locator(SEARCH_BOX)
    meta = ".md-search-result__meta"
    # Material searches on keyup; clearing first means every result shown is for `query`.
    box.fill("")
    box.press("End")
    tab.wait_for_function(
        "([sel, text]) => document.querySelector(sel).textContent === text"
        " && !document.querySelector('.md-search-result__item')",
        arg=[meta, texts["search.result.placeholder"]],
    )
    box.fill(query)
    box.press("End")
    tab.wait_for_function(
        "([sel, none]) => document.querySelector('.md-search-result__item')"
        " || document.querySelector(sel).textContent === none",
        arg=[meta, texts["search.result.none"]],
    )
    return tab.eval_on_selector_all(
        ".md-search-result__item:first-child .md-search-result__link",
        """links => links.map(a => {
            const url = new URL(a.href);
            const title = a.querySelector('h1, h2');
            return {path: url.pathname, hash: url.hash, title: title ? title.textContent.trim() : ''};
        })""",
    )


def describe(links: list[dict[str, str]], base: str) -> str:
    """`glossary/#configmap (Glossary › ConfigMap)` for the message of a miss."""
    if not links:
        return "no result at all"
    page = links[0]
    best = links[1] if len(links) > 1 else page
    where = best["path"].removeprefix(base) or "(home)"
    titles = page["title"] if best is page else f"{page['title']} › {best['title']}"
    return f"{where}{best['hash']} ({titles})"


def test_query_set_covers_three_sections_with_real_pages(built_site: Path) -> None:
    assert min(len(CONTAINERS), len(KUBERNETES), len(SERVICE_MESH)) >= 10
    assert len(QUERIES) >= 30
    assert len({q.lower() for q, _ in QUERIES}) == len(QUERIES), "a query is listed twice"
    missing = [f"{q!r} -> {p}" for q, p in QUERIES if not (built_site / page_path(p) / "index.html").is_file()]
    assert not missing, f"expected pages that the site does not have: {missing}"


def test_reader_queries_land_first_on_the_page_that_teaches_them(site_server: str, browser) -> None:
    base = urlsplit(site_server).path
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    texts = open_search(tab, site_server)
    misses = []
    for query, expected in QUERIES:
        links = search(tab, query, texts)
        first = links[0]["path"].removeprefix(base) if links else None
        if first != page_path(expected):
            misses.append(f"{query!r}: expected {page_path(expected) or '(home)'} first, got {describe(links, base)}")
    context.close()
    hits = len(QUERIES) - len(misses)
    print(f"\nsearch quality: {hits}/{len(QUERIES)} queries land first on the expected page")
    assert not misses, f"{len(misses)} of {len(QUERIES)} queries land elsewhere first:\n" + "\n".join(misses)


def test_suggestion_completes_a_partly_typed_term(site_server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    open_search(tab, site_server)
    box = tab.locator(SEARCH_BOX)
    box.press_sequentially("configm", delay=30)
    suggest = tab.locator(".md-search__suggest")
    assert suggest.count(), "no suggestion element: is search.suggest in mkdocs.yml theme.features?"
    tab.wait_for_function("() => document.querySelector('.md-search__suggest').innerText.trim().length > 7")
    assert suggest.inner_text().strip().lower().startswith("configmap"), suggest.inner_text()
    box.press("ArrowRight")  # Material accepts the suggestion with the right arrow key
    assert box.input_value().lower().startswith("configmap"), box.input_value()
    context.close()


def test_results_and_the_page_opened_from_them_highlight_the_query(site_server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    texts = open_search(tab, site_server)
    links = search(tab, "liveness probe", texts)
    assert links and links[0]["path"].endswith("/kubernetes/self-healing/"), links
    marked = tab.eval_on_selector_all(
        ".md-search-result__item:first-child mark", "els => els.map(e => e.textContent.toLowerCase())"
    )
    assert {"liveness", "probe"} & {m.rstrip("s") for m in marked}, f"no highlighted term in the result: {marked}"
    tab.locator(".md-search-result__item:first-child .md-search-result__link").first.click()
    tab.wait_for_url("**/kubernetes/self-healing/**")
    assert "h=" in tab.url, f"the result link carries no highlight terms: {tab.url}"
    tab.locator("article mark[data-md-highlight]").first.wait_for(timeout=10000)
    words = tab.eval_on_selector_all(
        "article mark[data-md-highlight]", "els => [...new Set(els.map(e => e.textContent.toLowerCase()))]"
    )
    assert any(w.startswith(("liveness", "probe")) for w in words), words
    context.close()


def _word_only_in_a_figure_list(built_site: Path) -> tuple[str, str]:
    """A word that appears in some figure's Parts or Connections list and nowhere else on any
    page, with the number of the figure it comes from."""
    import re

    in_lists: dict[str, str] = {}
    elsewhere: set[str] = set()
    for _, article in site_articles(built_site, print_page=False):
        for details in article.select(".figure-text"):
            number = re.search(r"\d+", details.summary.get_text()).group(0)  # type: ignore[union-attr]
            for item in details.select("li"):
                for word in re.findall(r"[a-z]{6,}", item.get_text(" ").lower()):
                    in_lists.setdefault(word, number)
            details.decompose()
        for caption in article.select("figcaption"):
            caption.decompose()
        elsewhere.update(re.findall(r"[a-z]+", article.get_text(" ").lower()))
    only = sorted(w for w in in_lists if w not in elsewhere)
    assert only, "every word of the figure lists also appears in prose: nothing to prove"
    return only[0], in_lists[only[0]]


def test_a_hit_inside_a_figure_description_says_which_figure(built_site: Path, site_server: str, browser) -> None:
    word, number = _word_only_in_a_figure_list(built_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    texts = open_search(tab, site_server)
    assert search(tab, word, texts), f"{word!r} (a label in figure {number}) finds nothing"
    shown = tab.inner_text(".md-search-result__item:first-child")
    context.close()
    assert f"figure {number}:" in shown, f"the result for {word!r} does not name figure {number}:\n{shown}"
