"""`make audit`'s pairing and reporting logic, on recorded-shape Lighthouse results (no browser)."""

from __future__ import annotations

import sys

import yaml

from helpers import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import audit


def lighthouse_result(performance: float, lcp: float, accessibility: float = 1.0) -> dict:
    """The parts of a Lighthouse 12 JSON result that `audit.summarise` reads."""
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
        return audit.summarise(lighthouse_result(0.9, 2000))

    bases = {"ours": "http://o/", "stock": "http://s/"}
    audit.measure_paired(["", "a/"], bases, 3, run_one)
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
        return audit.summarise(lighthouse_result(perf[site, page][run], 1500 + 100 * run, 1.0 if run else 0.9))

    raw = audit.measure_paired(["a/", "b/"], {"ours": "http://o/", "stock": "http://s/"}, 3, run_one)
    medians = {site: {"/" + p: audit.median_summary(r) for p, r in pages.items()} for site, pages in raw.items()}
    ours, stock = medians["ours"], medians["stock"]
    assert ours["/a/"]["scores"]["performance"] == 96
    assert ours["/a/"]["performance_runs"] == [97, 60, 96]
    assert ours["/a/"]["lcp_ms"] == 1600
    assert ours["/a/"]["lowest"]["accessibility"] == 90  # one run under 100 is reported, not hidden
    rows = {row["page"]: row for row in audit.compare(ours, stock)}
    assert rows["/a/"] == {"page": "/a/", "ours": 96, "stock": 94, "diff": 2, "lower": False}
    assert rows["/b/"] == {"page": "/b/", "ours": 90, "stock": 93, "diff": -3, "lower": True}

    table = audit.comparison_table(ours, stock, 3, {"/a/": {"element": 'p "Intro"', "lcp_ms": 1800}})
    flagged = [line for line in table.splitlines() if line.endswith("LOWER")]
    assert [line.split()[0] for line in flagged] == ["/b/"]
    assert "ours lower on 1: /b/" in table
    (below,) = [line for line in table.splitlines() if line.startswith("  below 100 on /a/")]
    assert "accessibility: color-contrast" in below
    assert 'LCP element /a/: p "Intro" (1800 ms)' in table


def test_a_run_without_a_score_is_an_error_not_a_zero() -> None:
    result = lighthouse_result(0.9, 2000)
    result["categories"]["performance"]["score"] = None
    result["audits"]["largest-contentful-paint"]["errorMessage"] = "NO_LCP"
    summary = audit.summarise(result)
    assert summary["scores"]["performance"] is None and summary["errors"] == ["NO_LCP"]
    good = audit.summarise(lighthouse_result(0.8, 2000))
    median = audit.median_summary([summary, good])
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
