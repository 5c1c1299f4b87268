"""`make audit` (`python -m tools.audit`): Lighthouse (mobile) on every page, ours beside stock Material, paired.

Each page is measured on every site in alternation (ours then stock, then stock then ours, ...),
`--runs N` times each, so a bad minute on a shared machine hits every build. Per page it prints
our median performance score, stock's median and the difference, flags every page where ours is
lower, gives the median LCP, FCP, TBT and main-thread time of both, lists the failing audits of
any of our categories under 100, and with `--lcp` names each page's LCP element (a Playwright
run under the same throttling, tools/audit/lcp.py). `--variant NAME` adds our site with one
feature off (see `--list-variants`) to the same alternation and prints what each feature costs:
main-thread time by category and bytes by type. Everything is written as JSON to
.cache/audit/report.json. Measurement only: it never fails the build.

The sites are served the way GitHub Pages serves them: under the site_url path, gzip-compressed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import time
from pathlib import Path

from ..common import ROOT, ChromiumMissing, chromium_executable, free_port, serve_directory, site_prefix
from . import report, sites
from .lighthouse import Lighthouse, LighthouseFailed, summarise
from .variants import VARIANTS

OUT = ROOT / ".cache" / "audit"
# Audit what most readers see: the default version, which shows no "outdated" banner.
VERSIONS = json.dumps([{"version": "dev", "title": "dev", "aliases": ["latest"]}]).encode()


def _label(page: str) -> str:
    return page.strip("/").replace("/", "_") or "home"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.audit", description=__doc__)
    parser.add_argument("--pages", type=int, help="audit only the first N pages")
    parser.add_argument(
        "--page", action="append", default=[], help="audit this page (e.g. kubernetes/pods/); repeatable"
    )
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Material comparison")
    parser.add_argument("--lcp", action="store_true", help="also name each page's LCP element (Playwright)")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        choices=sorted(VARIANTS),
        metavar="NAME",
        help="also measure our site with one feature off (repeatable; see --list-variants)",
    )
    parser.add_argument("--list-variants", action="store_true", help="list the variants and exit")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="Lighthouse runs per page and site, paired in alternation; medians are reported",
    )
    return parser


def _build_all(args: argparse.Namespace, prefix: str) -> dict[str, tuple[Path, int, bool]]:
    """Build every site; name -> (site folder, port, served as mike's `dev` version)."""
    built: dict[str, tuple[Path, int, bool]] = {}
    # Our site exactly as published: built by mike as version `dev`, under the real site_url path,
    # on a local origin (Material's instant navigation follows same-origin sitemap URLs only).
    port = free_port()
    env = {"NUTSHELL_SITE_URL": f"http://127.0.0.1:{port}{prefix}", "MIKE_DOCS_VERSION": "dev"}
    sites.build(sites.CONFIG, OUT / "site", env)
    built["ours"] = (OUT / "site", port, True)
    for name in args.variant:
        port, folder = free_port(), OUT / "variants" / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        config = sites.variant_config(folder, name, f"http://127.0.0.1:{port}{prefix}")
        sites.build(config, folder / "site", {"MIKE_DOCS_VERSION": "dev"})
        built[name] = (folder / "site", port, True)
    if not args.no_stock:
        port, folder = free_port(), OUT / "stock"
        folder.mkdir(exist_ok=True)
        sites.build(sites.stock_config(folder, f"http://127.0.0.1:{port}{prefix}"), folder / "site")
        built["stock"] = (folder / "site", port, False)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_variants:
        for name, (what, _) in sorted(VARIANTS.items()):
            print(f"{name:18} {what}")
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        chromium = chromium_executable()
    except ChromiumMissing as error:
        sys.exit(f"audit: {error}")
    OUT.mkdir(parents=True, exist_ok=True)
    prefix = site_prefix()
    started = time.monotonic()
    built = _build_all(args, prefix)
    ours = built["ours"][0]
    selected = [p.strip("/") + "/" if p.strip("/") else "" for p in args.page] or sites.pages(ours)[: args.pages]
    missing = [p for p in selected if not (ours / p / "index.html").is_file()]
    if missing:
        sys.exit(f"audit: no such page in the built site: {', '.join(missing)}")
    print(f"audit: {len(built)} builds in {time.monotonic() - started:.0f} s", flush=True)

    with contextlib.ExitStack() as stack:
        bases = {}
        for name, (folder, port, versioned) in built.items():
            served = prefix + "dev/" if versioned else prefix
            extra = {prefix + "versions.json": VERSIONS} if versioned else {}
            bases[name] = stack.enter_context(serve_directory(folder, served, extra, port=port, compress=True))
        try:
            lighthouse = stack.enter_context(Lighthouse(chromium))
        except LighthouseFailed as error:
            sys.exit(f"audit: {error}")

        def run_one(site: str, url: str, run: int) -> dict:
            page = url.split(bases[site], 1)[1]
            out = OUT / f"{site}-{_label(page)}-run{run + 1}.json"
            summary = summarise(lighthouse.run(url, out))
            print(f"  run {run + 1} {site:16} /{page} {summary['scores']}", flush=True)
            return summary

        measuring = time.monotonic()
        try:
            raw = report.measure_paired(selected, bases, args.runs, run_one)
        except LighthouseFailed as error:
            sys.exit(f"audit: {error}")
        per_run = (time.monotonic() - measuring) / max(1, len(selected) * len(bases) * args.runs)
        lcp = None
        if args.lcp:
            from .lcp import name_lcp

            lcp = name_lcp({"/" + p: bases["ours"] + p for p in selected}, min(args.runs, 3), chromium)
    medians = {
        site: {"/" + page: report.median_summary(runs) for page, runs in by_page.items()}
        for site, by_page in raw.items()
    }
    result = {
        "runs": args.runs,
        "variants": {name: VARIANTS[name][0] for name in args.variant},
        "medians": medians,
        "runs_raw": {s: {"/" + p: r for p, r in v.items()} for s, v in raw.items()},
        "lcp_elements": lcp,
    }
    (OUT / "report.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(report.comparison_table(medians["ours"], medians.get("stock", {}), args.runs, lcp))
    if args.variant:
        print(report.variant_table(medians, args.runs))
    print(f"\n{time.monotonic() - started:.0f} s in all, {per_run:.1f} s a Lighthouse run; JSON: {OUT / 'report.json'}")
    return 0
