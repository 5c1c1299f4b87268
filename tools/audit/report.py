"""Pairing and medians of Lighthouse runs, and the tables `make audit` prints."""

from __future__ import annotations

import statistics
from collections.abc import Callable

from .lighthouse import BYTES, CATEGORIES, MAIN_THREAD, METRICS

# The issue's bar: at least stock's score and at least this, on every page but the print page
# (the whole guide on one page, for printing, not for reading on a phone).
TARGET = 95
EXCEPTED = {"/print_page/"}
TIMINGS = (*METRICS, *MAIN_THREAD.values(), *BYTES.values(), "pre_lcp_requests", "pre_lcp_bytes", "bytes", "cls")


def paired_order(sites: list[str], runs: int) -> list[tuple[int, list[str]]]:
    """For each run, the order to measure the sites in: each run reverses the previous one."""
    return [(run, sites if run % 2 == 0 else sites[::-1]) for run in range(runs)]


def measure_paired(
    pages: list[str], bases: dict[str, str], runs: int, run_one: Callable[[str, str, int], dict]
) -> dict[str, dict[str, list[dict]]]:
    """Every page on every site `runs` times, the sites alternating within each page.

    `run_one(site, url, run)` returns one summary (see `summarise`). The result is
    site -> page -> the summaries of its runs, in run order.
    """
    results: dict[str, dict[str, list[dict]]] = {site: {page: [] for page in pages} for site in bases}
    for page in pages:
        for run, order in paired_order(list(bases), runs):
            for site in order:
                results[site][page].append(run_one(site, bases[site] + page, run))
    return results


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def median_summary(runs: list[dict]) -> dict:
    """The median of each score and timing over a page's runs, and what failed."""
    scores = {c: _median([r["scores"][c] for r in runs]) for c in CATEGORIES}
    scored = sorted(
        (r for r in runs if r["scores"]["performance"] is not None), key=lambda r: r["scores"]["performance"]
    )
    middle = scored[(len(scored) - 1) // 2] if scored else runs[0]
    # Performance audits of the median run; every other category's failures from any run.
    failing = {}
    for c in CATEGORIES:
        found = (
            middle["failing"].get(c, []) if c == "performance" else {a for r in runs for a in r["failing"].get(c, [])}
        )
        if found:
            failing[c] = sorted(found) if c != "performance" else found
    return {
        "scores": scores,
        "performance_runs": [r["scores"]["performance"] for r in runs],
        "lowest": {
            c: min((r["scores"][c] for r in runs if r["scores"][c] is not None), default=None) for c in CATEGORIES
        },
        **{key: _median([r.get(key) for r in runs]) for key in TIMINGS},
        "failing": failing,
        "errors": sorted({e for r in runs for e in r.get("errors", [])})[:3],
    }


def compare(ours: dict[str, dict], stock: dict[str, dict]) -> list[dict]:
    """One row per page: our median performance, stock's, the difference, whether ours is lower and
    whether it is under TARGET (never for the EXCEPTED print page)."""
    rows = []
    for page, mine in ours.items():
        theirs = stock.get(page)
        perf, base = mine["scores"]["performance"], theirs["scores"]["performance"] if theirs else None
        diff = None if perf is None or base is None else perf - base
        counted = page not in EXCEPTED
        rows.append(
            {
                "page": page,
                "ours": perf,
                "stock": base,
                "diff": diff,
                "lower": counted and diff is not None and diff < 0,
                "under_target": counted and perf is not None and perf < TARGET,
            }
        )
    return rows


def _cell(value: float | None, width: int, signed: bool = False) -> str:
    if value is None:
        return f"{'-':>{width}}"
    return f"{value:>+{width}.0f}" if signed else f"{value:>{width}.0f}"


def comparison_table(
    ours: dict[str, dict], stock: dict[str, dict], runs: int, lcp: dict[str, dict] | None = None
) -> str:
    """The paired table: per page our median, stock's, the difference, a flag, timings, LCP element."""
    head = (
        f"{'page':40} {'ours':>4} {'stock':>5} {'diff':>5}  {'a11y':>4} {'bp':>4} {'seo':>4}"
        f" {'LCP':>6} {'/stock':>6} {'FCP':>6} {'/stock':>6} {'TBT':>6} {'/stock':>6} {'main':>6} {'/stock':>6}"
    )
    lines = [
        f"\nPerformance, median of {runs} paired run(s) per page (ours and stock in alternation); times in ms",
        head,
        "-" * len(head),
    ]
    rows = compare(ours, stock)
    for row in rows:
        mine, theirs = ours[row["page"]], stock.get(row["page"], {})
        low = {c: mine["lowest"][c] for c in ("accessibility", "best-practices", "seo")}
        timings = "".join(
            f" {_cell(mine[key], 6)} {_cell(theirs.get(key), 6)}" for key in ("lcp_ms", "fcp_ms", "tbt_ms", "main_ms")
        )
        flag = "".join((f"  <{TARGET}" if row["under_target"] else "", "  LOWER" if row["lower"] else "")) or (
            "  (excepted)" if row["page"] in EXCEPTED else ""
        )
        lines.append(
            f"{row['page']:40} {_cell(row['ours'], 4)} {_cell(row['stock'], 5)} {_cell(row['diff'], 5, signed=True)}"
            f"  {_cell(low['accessibility'], 4)} {_cell(low['best-practices'], 4)} {_cell(low['seo'], 4)}"
            f"{timings}{flag}"
        )
    lines.append("-" * len(head))
    diffs = [r["diff"] for r in rows if r["diff"] is not None]
    lower = [r["page"] for r in rows if r["lower"]]
    under = [r["page"] for r in rows if r["under_target"]]
    lines.append(
        f"{len(rows)} pages; median difference {_cell(_median(diffs), 0, signed=True).strip()}; "
        f"ours lower on {len(lower)}: {', '.join(lower) or 'none'}; "
        f"under {TARGET} on {len(under)}: {', '.join(under) or 'none'}"
    )
    lines.append("(a11y, bp, seo: our lowest score over the runs)")
    for page, mine in ours.items():
        if any(v is None or v < 100 for v in mine["lowest"].values() if v is not None) or mine["errors"]:
            parts = [f"{c}: {', '.join(a)}" for c, a in mine["failing"].items()] + mine["errors"]
            if parts:
                lines.append(f"  below 100 on {page}: " + "; ".join(parts))
    for page, found in (lcp or {}).items():
        lines.append(f"  LCP element {page}: {found['element']} ({found['lcp_ms']:.0f} ms)")
    return "\n".join(lines)


VARIANT_COLUMNS = (
    ("perf", None),
    ("LCP", "lcp_ms"),
    ("FCP", "fcp_ms"),
    ("TBT", "tbt_ms"),
    ("main", "main_ms"),
    ("style", "style_layout_ms"),
    ("script", "script_ms"),
    ("other", "other_ms"),
    ("htmlKB", "html_bytes"),
    ("cssKB", "css_bytes"),
    ("jsKB", "js_bytes"),
    ("<LCP n", "pre_lcp_requests"),
    ("<LCP KB", "pre_lcp_bytes"),
)


def variant_table(medians: dict[str, dict[str, dict]], runs: int) -> str:
    """Per page, one row per site (ours, each variant, stock): paired medians of score, timings
    (ms, main thread by category) and compressed bytes by type, with each row's difference to ours."""
    head = f"{'page / site':34}" + "".join(f" {title:>7}" for title, _ in VARIANT_COLUMNS)
    lines = [
        f"\nWhat each feature costs: median of {runs} paired run(s); (+n) is the row minus `ours`",
        head,
        "-" * len(head),
    ]
    ours = medians.get("ours", {})
    for page in ours:
        lines.append(page)
        for site, by_page in medians.items():
            row, base = by_page.get(page), ours[page]
            if row is None:
                continue
            cells = []
            for _, key in VARIANT_COLUMNS:
                value = row["scores"]["performance"] if key is None else row.get(key)
                if value is not None and key and key.endswith("_bytes"):
                    value = value / 1024
                cells.append(f" {_cell(value, 7)}")
            delta = _delta(row, base) if site != "ours" else ""
            lines.append(f"  {site:32}" + "".join(cells) + delta)
    return "\n".join(lines)


def _delta(row: dict, base: dict) -> str:
    parts = []
    perf, mine = row["scores"]["performance"], base["scores"]["performance"]
    if perf is not None and mine is not None:
        parts.append(f"perf {perf - mine:+.0f}")
    for title, key in (("main", "main_ms"), ("TBT", "tbt_ms"), ("LCP", "lcp_ms")):
        if row.get(key) is not None and base.get(key) is not None:
            parts.append(f"{title} {row[key] - base[key]:+.0f}")
    return "  (" + ", ".join(parts) + ")" if parts else ""
