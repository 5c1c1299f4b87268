"""`make audit`: Lighthouse (mobile) on every page, ours beside a stock Material build, paired.

Each page is measured on both sites in alternation (ours then stock, then stock then ours, ...),
`--runs N` times each, so a bad minute on a shared machine hits both builds. Per page it prints
our median performance score, stock's median and the difference, flags every page where ours is
lower, gives the median LCP, FCP, TBT and main-thread time of both, lists the failing audits of
any of our categories under 100, and with `--lcp` names each page's LCP element (a Playwright
run under the same throttling, scripts/audit_lcp.py). Everything is written as JSON to
.cache/audit/report.json. Measurement only: it never fails the build.

The sites are served the way GitHub Pages serves them: under the site_url path, gzip-compressed.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".cache" / "audit"
FIGURE_CACHE = ROOT / ".cache" / "plugin" / "figures"
LIGHTHOUSE = ROOT / "scripts" / "audit" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


def _handler(directory: Path, prefix: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(directory), **kwargs)  # type: ignore[arg-type]

        def translate_path(self, path: str) -> str:
            path = path.split("?", 1)[0]
            if not path.startswith(prefix):
                return str(directory / "__outside__")
            return super().translate_path("/" + path[len(prefix) :])

        def send_head(self):  # type: ignore[no-untyped-def]
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (wants_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return _Body(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path, prefix: str, port: int, versions_at: str = "") -> Iterator[str]:
    """Serve a built site on 127.0.0.1:`port` under `prefix` (and mike's versions.json, if asked)."""
    handler = _handler(directory, prefix)
    if versions_at:
        # Audit what most readers see: the default version, which shows no "outdated" banner.
        body = json.dumps([{"version": "dev", "title": "dev", "aliases": ["latest"]}]).encode()

        class Versioned(handler):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                if self.path.split("?", 1)[0] != versions_at:
                    super().do_GET()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        handler = Versioned
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}{prefix}"
    finally:
        server.shutdown()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prefix(config_file: Path) -> str:
    text = config_file.read_text(encoding="utf-8")
    match = re.search(r"^site_url:.*?(https?://[^\s\"\]]+)", text, re.M)
    path = urlsplit(match.group(1)).path.strip("/") if match else ""
    return f"/{path}/" if path else "/"


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV [NAME, default]` becomes the default, python tags are left empty."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def stock_config(tmp: Path, site_url: str) -> Path:
    """A Material configuration with default settings over the same pages and figures."""
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    stock = {
        "site_name": ours["site_name"],
        "site_url": site_url,
        "docs_dir": str(ROOT / "docs"),
        "theme": {"name": "material"},
        "plugins": [
            "search",
            {"figures": {"scripts_dir": str(ROOT / "diagrams"), "cache_dir": str(FIGURE_CACHE)}},
        ],
        "markdown_extensions": ours["markdown_extensions"],
        "validation": ours["validation"],
        "nav": ours["nav"],
    }
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(stock, sort_keys=False), encoding="utf-8")
    return path


def build(config: Path, site: Path, extra_env: dict[str, str] | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(site)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def pages(site: Path) -> list[str]:
    found = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site)
        if "assets" not in rel.parts:
            found.append("" if rel == Path(".") else rel.as_posix() + "/")
    return found


def lighthouse(url: str, out: Path) -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={out}",
            f"--chrome-path={chromium()}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--quiet",
        ],
        check=True,
        timeout=300,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH", ""), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    sys.exit("audit: no Chromium found; run `make test` once or set CHROMIUM_PATH")


METRICS = {  # report key -> Lighthouse audit id
    "lcp_ms": "largest-contentful-paint",
    "fcp_ms": "first-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "main_ms": "mainthread-work-breakdown",
}


def summarise(result: dict) -> dict:
    """The scores, timings and failing audits of one Lighthouse result."""
    audits = result["audits"]
    failing: dict[str, list[str]] = {}
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            scored = audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
            if scored and audit["score"] is not None and audit["score"] < 1 and ref.get("weight", 0) > 0:
                failing.setdefault(category, []).append(f"{ref['id']} ({audit.get('displayValue', audit['score'])})")
    scores = {c: result["categories"][c]["score"] for c in CATEGORIES}
    errors = sorted(
        {
            audits[ref["id"]]["errorMessage"]
            for c in CATEGORIES
            if scores[c] is None
            for ref in result["categories"][c]["auditRefs"]
            if ref.get("weight", 0) > 0 and audits[ref["id"]].get("errorMessage")
        }
    )
    return {
        # Lighthouse gives a category no score when a metric failed (NO_FCP, say): that is
        # reported as an error of this run, not as zero.
        "scores": {c: None if v is None else round(v * 100) for c, v in scores.items()},
        "errors": errors[:3],
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        **{key: _rounded(audits[audit_id].get("numericValue")) for key, audit_id in METRICS.items()},
        "cls": _rounded(audits["cumulative-layout-shift"].get("numericValue"), 3),
        "failing": failing,
    }


def _rounded(value: float | None, digits: int = 0) -> float | None:
    if value is None:
        return None
    return round(value, digits) if digits else round(value)


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
        **{key: _median([r[key] for r in runs]) for key in (*METRICS, "bytes", "cls")},
        "failing": failing,
        "errors": sorted({e for r in runs for e in r.get("errors", [])})[:3],
    }


def compare(ours: dict[str, dict], stock: dict[str, dict]) -> list[dict]:
    """One row per page: our median performance, stock's, the difference, and whether ours is lower."""
    rows = []
    for page, mine in ours.items():
        theirs = stock.get(page)
        perf, base = mine["scores"]["performance"], theirs["scores"]["performance"] if theirs else None
        diff = None if perf is None or base is None else perf - base
        rows.append({"page": page, "ours": perf, "stock": base, "diff": diff, "lower": diff is not None and diff < 0})
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
        flag = "  LOWER" if row["lower"] else ""
        lines.append(
            f"{row['page']:40} {_cell(row['ours'], 4)} {_cell(row['stock'], 5)} {_cell(row['diff'], 5, signed=True)}"
            f"  {_cell(low['accessibility'], 4)} {_cell(low['best-practices'], 4)} {_cell(low['seo'], 4)}"
            f"{timings}{flag}"
        )
    lines.append("-" * len(head))
    diffs = [r["diff"] for r in rows if r["diff"] is not None]
    lower = [r["page"] for r in rows if r["lower"]]
    lines.append(
        f"{len(rows)} pages; median difference {_cell(_median(diffs), 0, signed=True).strip()}; "
        f"ours lower on {len(lower)}: {', '.join(lower) or 'none'}"
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


def _label(page: str) -> str:
    return page.strip("/").replace("/", "_") or "home"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, help="audit only the first N pages")
    parser.add_argument(
        "--page", action="append", default=[], help="audit this page (e.g. kubernetes/pods/); repeatable"
    )
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Material comparison")
    parser.add_argument("--lcp", action="store_true", help="also name each page's LCP element (Playwright)")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="Lighthouse runs per page and site, paired in alternation; medians are reported",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not LIGHTHOUSE.exists():
        sys.exit("audit: Lighthouse is missing; run `make audit` (it installs it with npm ci)")
    OUT.mkdir(parents=True, exist_ok=True)
    prefix = _prefix(ROOT / "mkdocs.yml")
    # Our site exactly as published: built by mike as version `dev`, under the real site_url path,
    # on a local origin (Material's instant navigation follows same-origin sitemap URLs only).
    ours, ours_port = OUT / "site", free_port()
    env = {"NUTSHELL_SITE_URL": f"http://127.0.0.1:{ours_port}{prefix}", "MIKE_DOCS_VERSION": "dev"}
    build(ROOT / "mkdocs.yml", ours, env)
    stock_dir, stock_port = OUT / "stock", free_port()
    if not args.no_stock:
        stock_dir.mkdir(exist_ok=True)
        build(stock_config(stock_dir, f"http://127.0.0.1:{stock_port}{prefix}"), stock_dir / "site")
    selected = [p.strip("/") + "/" if p.strip("/") else "" for p in args.page] or pages(ours)[: args.pages]
    missing = [p for p in selected if not (ours / p / "index.html").is_file()]
    if missing:
        sys.exit(f"audit: no such page in the built site: {', '.join(missing)}")

    def run_one(site: str, url: str, run: int) -> dict:
        page = url.split(bases[site], 1)[1]
        out = OUT / f"{site}-{_label(page)}-run{run + 1}.json"
        summary = summarise(lighthouse(url, out))
        print(f"  run {run + 1} {site:6} /{page} {summary['scores']}", flush=True)
        return summary

    with contextlib.ExitStack() as stack:
        bases = {"ours": stack.enter_context(serve(ours, prefix + "dev/", ours_port, prefix + "versions.json"))}
        if not args.no_stock:
            bases["stock"] = stack.enter_context(serve(stock_dir / "site", prefix, stock_port))
        raw = measure_paired(selected, bases, args.runs, run_one)
        lcp = None
        if args.lcp:
            from audit_lcp import name_lcp

            lcp = name_lcp({"/" + p: bases["ours"] + p for p in selected}, min(args.runs, 3), chromium())
    medians = {
        site: {"/" + page: median_summary(runs) for page, runs in by_page.items()} for site, by_page in raw.items()
    }
    report = {
        "runs": args.runs,
        "medians": medians,
        "runs_raw": {s: {"/" + p: r for p, r in v.items()} for s, v in raw.items()},
        "lcp_elements": lcp,
    }
    (OUT / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(comparison_table(medians["ours"], medians.get("stock", {}), args.runs, lcp))
    print(f"\nJSON: {OUT / 'report.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
