"""`make audit`'s (tools/audit) pairing and reporting logic, on recorded-shape Lighthouse results (no browser)."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from helpers import ROOT
from tools.audit import lighthouse, report


def lighthouse_result(performance: float, lcp: float, accessibility: float = 1.0) -> dict:
    """The parts of a Lighthouse 12 JSON result that `lighthouse.summarise` reads."""
    audits = {
        "total-byte-weight": {"numericValue": 250_000, "score": 1, "scoreDisplayMode": "numeric"},
        "largest-contentful-paint": {"numericValue": lcp, "score": 0.9, "scoreDisplayMode": "numeric"},
        "first-contentful-paint": {"numericValue": 1200.4, "score": 1, "scoreDisplayMode": "numeric"},
        "total-blocking-time": {"numericValue": 80, "score": 1, "scoreDisplayMode": "numeric"},
        "mainthread-work-breakdown": {"numericValue": 1900, "score": 1, "scoreDisplayMode": "informative"},
        "cumulative-layout-shift": {"numericValue": 0.0012, "score": 1, "scoreDisplayMode": "numeric"},
        "color-contrast": {"score": accessibility, "scoreDisplayMode": "binary", "displayValue": ""},
    }
    refs = {
        "performance": [{"id": "largest-contentful-paint", "weight": 25}, {"id": "total-blocking-time", "weight": 30}],
        "accessibility": [{"id": "color-contrast", "weight": 7}],
        "best-practices": [],
        "seo": [],
    }
    scores = {"performance": performance, "accessibility": accessibility, "best-practices": 1.0, "seo": 1.0}
    return {"audits": audits, "categories": {c: {"score": scores[c], "auditRefs": refs[c]} for c in refs}}


def test_runs_alternate_so_a_bad_minute_hits_both_sites() -> None:
    calls: list[tuple[str, str, int]] = []

    def run_one(site: str, url: str, run: int) -> dict:
        calls.append((site, url, run))
        return lighthouse.summarise(lighthouse_result(0.9, 2000))

    bases = {"ours": "http://o/", "stock": "http://s/"}
    report.measure_paired(["", "a/"], bases, 3, run_one)
    sites = [site for site, _, _ in calls]
    assert sites == ["ours", "stock", "stock", "ours", "ours", "stock"] * 2
    assert calls[:2] == [("ours", "http://o/", 0), ("stock", "http://s/", 0)]
    assert [url for _, url, _ in calls[6:8]] == ["http://o/a/", "http://s/a/"]


def test_medians_and_the_difference_flag_every_page_where_ours_is_lower() -> None:
    # Page /a/: ours 0.97 0.60 (a bad minute) 0.96, stock 0.95 0.58 0.94: ours higher.
    # Page /b/: ours 0.90 0.91 0.89, stock 0.93 0.94 0.92: ours lower.
    perf = {
        ("ours", "a/"): [0.97, 0.60, 0.96],
        ("stock", "a/"): [0.95, 0.58, 0.94],
        ("ours", "b/"): [0.90, 0.91, 0.89],
        ("stock", "b/"): [0.93, 0.94, 0.92],
    }

    def run_one(site: str, url: str, run: int) -> dict:
        page = url.split("/", 3)[3]
        return lighthouse.summarise(lighthouse_result(perf[site, page][run], 1500 + 100 * run, 1.0 if run else 0.9))

    raw = report.measure_paired(["a/", "b/"], {"ours": "http://o/", "stock": "http://s/"}, 3, run_one)
    medians = {site: {"/" + p: report.median_summary(r) for p, r in pages.items()} for site, pages in raw.items()}
    ours, stock = medians["ours"], medians["stock"]
    assert ours["/a/"]["scores"]["performance"] == 96
    assert ours["/a/"]["performance_runs"] == [97, 60, 96]
    assert ours["/a/"]["lcp_ms"] == 1600
    assert ours["/a/"]["lowest"]["accessibility"] == 90  # one run under 100 is reported, not hidden
    rows = {row["page"]: row for row in report.compare(ours, stock)}
    assert rows["/a/"] == {"page": "/a/", "ours": 96, "stock": 94, "diff": 2, "lower": False, "under_target": False}
    assert rows["/b/"] == {"page": "/b/", "ours": 90, "stock": 93, "diff": -3, "lower": True, "under_target": True}

    table = report.comparison_table(ours, stock, 3, {"/a/": {"element": 'p "Intro"', "lcp_ms": 1800}})
    flagged = [line for line in table.splitlines() if line.endswith("LOWER")]
    assert [line.split()[0] for line in flagged] == ["/b/"]
    assert "ours lower on 1: /b/; under 95 on 1: /b/" in table
    assert [line.split()[0] for line in table.splitlines() if "  <95" in line] == ["/b/"]
    (below,) = [line for line in table.splitlines() if line.startswith("  below 100 on /a/")]
    assert "accessibility: color-contrast" in below
    assert 'LCP element /a/: p "Intro" (1800 ms)' in table


def test_a_run_without_a_score_is_an_error_not_a_zero() -> None:
    result = lighthouse_result(0.9, 2000)
    result["categories"]["performance"]["score"] = None
    result["audits"]["largest-contentful-paint"]["errorMessage"] = "NO_LCP"
    summary = lighthouse.summarise(result)
    assert summary["scores"]["performance"] is None and summary["errors"] == ["NO_LCP"]
    good = lighthouse.summarise(lighthouse_result(0.8, 2000))
    median = report.median_summary([summary, good])
    assert median["scores"]["performance"] == 80
    assert median["errors"] == ["NO_LCP"]


def test_print_page_keeps_the_print_site_assets_and_other_pages_drop_them() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from site_extensions.print_assets import strip_print_assets

    head = (
        '<link rel="stylesheet" href="../css/print-site.css">\n'
        '<link rel="stylesheet" href="../css/print-site-material.css">\n'
        '<link rel="stylesheet" href="../stylesheets/site.css">\n'
        '<script src="../js/print-site.js"></script>\n'
        '<script src="../js/print-site.js" defer></script>\n'
        '<script src="../javascripts/a11y.js" defer></script>\n'
    )
    assert strip_print_assets(head) == (
        '<link rel="stylesheet" href="../stylesheets/site.css">\n<script src="../javascripts/a11y.js" defer></script>\n'
    )


def _site_config() -> dict:
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)


def test_every_added_script_waits_for_the_first_paint() -> None:
    blocking = [
        entry if isinstance(entry, str) else entry["path"]
        for entry in _site_config()["extra_javascript"]
        if isinstance(entry, str) or not (entry.get("defer") or entry.get("async"))
    ]
    assert not blocking, f"mkdocs.yml extra_javascript: give {blocking} `defer: true` (CONTRIBUTING.md, Page speed)"


def test_glossary_tooltips_are_mounted_on_demand_not_at_load() -> None:
    config = _site_config()
    assert "content.tooltips" not in config["theme"]["features"], (
        "mkdocs.yml: content.tooltips mounts every glossary term at load; tooltips.js does it on first "
        "hover or focus (CONTRIBUTING.md, Page speed)"
    )
    scripts = [entry if isinstance(entry, str) else entry["path"] for entry in config["extra_javascript"]]
    assert "javascripts/tooltips.js" in scripts


def test_summary_gives_main_thread_time_by_category_and_bytes_by_type() -> None:
    result = lighthouse_result(0.9, 2000)
    result["audits"]["mainthread-work-breakdown"]["details"] = {
        "items": [{"group": "styleLayout", "duration": 812.4}, {"group": "scriptEvaluation", "duration": 400.0}]
    }
    result["audits"]["resource-summary"] = {
        "details": {
            "items": [
                {"resourceType": "document", "transferSize": 20952},
                {"resourceType": "stylesheet", "transferSize": 27800},
                {"resourceType": "script", "transferSize": 39965},
            ]
        }
    }
    summary = lighthouse.summarise(result)
    assert summary["style_layout_ms"] == 812 and summary["script_ms"] == 400 and summary["parse_ms"] == 0
    assert (summary["html_bytes"], summary["css_bytes"], summary["js_bytes"]) == (20952, 27800, 39965)
    # A result without the breakdown (an older Lighthouse) reports nothing, not zeros.
    bare = lighthouse.summarise(lighthouse_result(0.9, 2000))
    assert bare["style_layout_ms"] is None and bare["html_bytes"] is None
    # An audit that errored has no value (the print page's byte weight did once): no crash, None.
    errored = lighthouse_result(0.9, 2000)
    errored["audits"]["total-byte-weight"] = {"score": None, "errorMessage": "Required NetworkRecords gatherer"}
    assert lighthouse.summarise(errored)["bytes"] is None


def test_variant_table_gives_each_feature_its_cost_against_ours() -> None:
    def summary(perf: float, main: float) -> dict:
        result = lighthouse_result(perf, 2000)
        result["audits"]["mainthread-work-breakdown"]["numericValue"] = main
        return lighthouse.summarise(result)

    medians = {
        "ours": {"/a/": report.median_summary([summary(0.80, 2400)])},
        "no-css": {"/a/": report.median_summary([summary(0.91, 1900)])},
        "stock": {"/a/": report.median_summary([summary(0.90, 2000)])},
    }
    table = report.variant_table(medians, 1).splitlines()
    (row,) = [line for line in table if line.strip().startswith("no-css")]
    assert row.endswith("(perf +11, main -500, TBT +0, LCP +0)")
    assert [line.split()[0] for line in table if line.startswith("  ")] == ["ours", "no-css", "stock"]


def test_every_variant_turns_off_something_that_is_on(tmp_path: Path) -> None:
    from tools import mkdocs_config
    from tools.audit import variants

    original = yaml.safe_dump(_plain(mkdocs_config.load(ROOT / "mkdocs.yml")))
    for name in variants.VARIANTS:
        (tmp_path / name).mkdir()
        changed = variants.apply(name, mkdocs_config.load(ROOT / "mkdocs.yml"), tmp_path / name)
        assert yaml.safe_dump(_plain(changed)) != original, f"variant {name} changes nothing in mkdocs.yml"


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return repr(value) if not isinstance(value, str | int | float | bool | type(None)) else value


def test_variant_configuration_builds_from_outside_the_repository(tmp_path: Path) -> None:
    from tools import mkdocs_config
    from tools.audit import sites

    path = sites.variant_config(tmp_path, "no-instant", "http://127.0.0.1:1/nutshell/")
    config = mkdocs_config.load(path)
    assert config["site_url"] == "http://127.0.0.1:1/nutshell/"
    assert "navigation.instant" not in config["theme"]["features"]
    assert Path(config["docs_dir"]).is_absolute() and Path(config["theme"]["custom_dir"]).is_dir()
    figures = mkdocs_config.options(config["plugins"], "figures")
    assert Path(figures["scripts_dir"]).is_dir() and Path(figures["cache_dir"]).is_absolute()
    assert "watch" not in config
    partial = sites.variant_config(tmp_path, "no-fetch-later", "http://127.0.0.1:1/nutshell/")
    custom = Path(mkdocs_config.load(partial)["theme"]["custom_dir"])
    assert custom.parent == tmp_path and (custom / "partials" / "fetch-later.html").read_text() == ""
    assert (ROOT / "overrides" / "partials" / "fetch-later.html").read_text()  # the real one untouched
    (tmp_path / "b").mkdir()
    blocking = sites.variant_config(tmp_path / "b", "no-defer-bundle", "http://127.0.0.1:1/nutshell/")
    main = Path(mkdocs_config.load(blocking)["theme"]["custom_dir"]) / "main.html"
    assert "{% block scripts %}" not in main.read_text() and "{% block extrahead %}" in main.read_text()
    assert "{% block scripts %}" in (ROOT / "overrides" / "main.html").read_text()


def test_sites_are_served_gzip_compressed_like_github_pages(tmp_path: Path) -> None:
    import contextlib
    import gzip
    import urllib.error
    import urllib.request

    from tools.common import serve_directory

    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>" + "hello " * 200 + "</p>", encoding="utf-8")
    with serve_directory(tmp_path, "/nutshell/", compress=True) as base:
        request = urllib.request.Request(base + "page/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.version == 11  # persistent connections, as GitHub Pages keeps them
            assert gzip.decompress(response.read()).decode().startswith("<p>hello")
        with urllib.request.urlopen(base + "page/") as response:  # a client that cannot gunzip
            assert response.headers["Content-Encoding"] is None
        with urllib.request.urlopen(base + "page") as response:  # the folder's redirect, then the page
            assert response.url.endswith("/page/") and response.read().startswith(b"<p>hello")
        with contextlib.suppress(urllib.error.HTTPError), urllib.request.urlopen(base + "missing/"):
            raise AssertionError("a missing page must answer 404")
    with (
        serve_directory(tmp_path, "/nutshell/") as base,
        urllib.request.urlopen(urllib.request.Request(base + "page/", headers={"Accept-Encoding": "gzip"})) as response,
    ):
        assert response.headers["Content-Encoding"] is None  # the tests' plain server is unchanged
        assert response.version == 10


def test_material_still_does_what_the_load_order_partials_correct() -> None:
    """overrides/partials/fetch-later.html, quiet-palette.html and resolved-links.html work around
    what Material 9's bundle does as it runs; when an upgrade changes that, this says which partial
    to revisit."""
    from importlib.resources import files

    bundles = list((Path(str(files("material"))) / "templates" / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1, bundles
    bundle = bundles[0].read_text(encoding="utf-8")
    expected = {
        "fetch-later.html (requests go through XMLHttpRequest)": "new XMLHttpRequest",
        "fetch-later.html (the search index)": '"search/search_index.json"',
        "fetch-later.html (instant navigation's sitemap)": '"sitemap.xml"',
        "fetch-later.html (mike's versions)": '"../versions.json"',
        "quiet-palette.html (the palette's restyle)": 'document.body.setAttribute("data-md-color-switching"',
        "quiet-palette.html (the palette's color-scheme meta)": '("meta",{name:"color-scheme"})',
        "resolved-links.html (instant navigation's link rewrite)": "t[r]=t[r]",
    }
    missing = [partial for partial, text in expected.items() if text not in bundle]
    assert not missing, f"Material's bundle changed; revisit overrides/partials/{missing}"


def test_the_print_page_is_reported_but_not_held_to_the_target() -> None:
    slow = {"/print_page/": report.median_summary([lighthouse.summarise(lighthouse_result(0.40, 9000))])}
    fast = {"/print_page/": report.median_summary([lighthouse.summarise(lighthouse_result(0.60, 5000))])}
    (row,) = report.compare(slow, fast)
    assert row["diff"] == -20 and not row["lower"] and not row["under_target"]
    table = report.comparison_table(slow, fast, 1)
    assert "(excepted)" in table and "ours lower on 0: none; under 95 on 0: none" in table


def test_summary_counts_what_started_before_the_largest_paint() -> None:
    result = lighthouse_result(0.9, 2000)
    result["audits"]["metrics"] = {"details": {"items": [{"observedLargestContentfulPaint": 250}]}}
    result["audits"]["network-requests"] = {
        "details": {
            "items": [
                {"url": "http://o/", "networkRequestTime": 2, "transferSize": 20_000},
                {"url": "data:image/svg+xml,x", "networkRequestTime": 100, "transferSize": 0},
                {"url": "http://o/search/search_index.json", "networkRequestTime": 240, "transferSize": 213_000},
                {"url": "http://o/sitemap.xml", "networkRequestTime": 400, "transferSize": 700},
            ]
        }
    }
    summary = lighthouse.summarise(result)
    assert (summary["pre_lcp_requests"], summary["pre_lcp_bytes"]) == (2, 233_000)
    result["audits"]["metrics"]["details"]["items"][0]["observedLargestContentfulPaint"] = 200
    assert lighthouse.summarise(result)["pre_lcp_bytes"] == 20_000


def test_stock_material_wraps_its_tables_itself(tmp_path: Path) -> None:
    # site_extensions.data_tables is one of our speed-ups, and its tables need our stylesheet:
    # stock Material gets our Markdown without it, and so does the variant that measures it.
    from tools import mkdocs_config
    from tools.audit import sites, variants

    ours = mkdocs_config.names(mkdocs_config.load(ROOT / "mkdocs.yml")["markdown_extensions"])
    assert variants.DATA_TABLES in ours
    stock = mkdocs_config.names(mkdocs_config.load(sites.stock_config(tmp_path, "http://s/"))["markdown_extensions"])
    assert stock == [name for name in ours if name != variants.DATA_TABLES]
    variant = sites.variant_config(tmp_path, "no-data-tables", "http://v/")
    assert mkdocs_config.names(mkdocs_config.load(variant)["markdown_extensions"]) == stock
