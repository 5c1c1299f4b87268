"""`python -m tools.bench [--quick] [--sizes 100x30,300x100] [--record]`: run, print, write JSON."""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata as metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from figure_pipeline.cache import graphviz_version
from site_extensions import benchmark_record

from .. import mkdocs_config
from ..common import ROOT
from . import prior_art, report
from .builds import copy_rendered_figures, measure_site, mkdocs_build
from .runs import BENCH_DIR, say
from .scale import FULL_SIZES, QUICK_SIZES, SizeResult, measure_size, parse_sizes
from .serve import ServeResult, measure_serve
from .sizes import measure_bytes
from .variants import figures_config, make_floor, make_ours, make_prior

LATEST = BENCH_DIR / "latest.json"
RECORD = ROOT / "docs" / "about" / "benchmark.json"
PRIOR_NOTES = [
    "mkdocs-diagrams 1.0.0 has no cache: it runs every script on every build, so its first and second builds "
    "cost the same.",
    "mkdocs-diagrams writes what diagrams writes by default, a PNG; diagrams' raw SVG links its icons by absolute "
    "file path, so its icons are missing in a browser. The byte table counts those icon files separately.",
    "For mkdocs-diagrams, the benchmark's copy of the house style names each PNG after its script "
    "(diagrams names it after the title); the drawing work is unchanged.",
]
NOTES = [
    "All builds run `mkdocs build` (not --strict) on temporary copies of the site outside the git work tree.",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small corpus sizes and 1 repeat (for development)")
    parser.add_argument("--sizes", help="corpus sizes as PAGESxFIGURES,... (default 100x30,300x100,1000x300)")
    parser.add_argument(
        "--repeats", type=int, help="runs per measurement (default: 5 for the real site, 3 at scale; --quick: 1)"
    )
    parser.add_argument("--record", action="store_true", help=f"also write {RECORD.relative_to(ROOT)}")
    parser.add_argument("--no-prior", action="store_true", help="skip the mkdocs-diagrams comparison")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve latency runs")
    parser.add_argument("--no-scale", action="store_true", help="skip the generated-corpus runs")
    parser.add_argument("--site", type=Path, default=ROOT, help="the site to measure (a folder with mkdocs.yml)")
    parser.add_argument("--out", type=Path, default=LATEST, help=f"where to write the JSON record (default {LATEST})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    return parser


def _meta(
    args: argparse.Namespace, repeats: int, scale_repeats: int, pages: int, figures: int, cores: int
) -> dict[str, Any]:
    versions = {n: metadata.version(n) for n in ("mkdocs", "mkdocs-material", "diagrams", "pillow")}
    versions["graphviz"] = graphviz_version().split("version")[-1].strip()
    if not args.no_prior:
        versions["mkdocs-diagrams"] = prior_art.installed_version()
    os_name = (
        platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
        if sys.platform == "linux"
        else (platform.platform())
    )
    return {
        "recorded": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick" if args.quick else "full",
        "machine": {
            "cores": cores,
            "os": os_name,
            "python": platform.python_version(),
            "load_note": "shared machine; other builds were running",
        },
        "versions": versions,
        "repeats": repeats,
        "scale_repeats": scale_repeats,
        "site": {"pages": pages, "figures": figures},
    }


def _git_dirty() -> bool:
    proc = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True)
    return bool(proc.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.record and args.quick:
        print("error: --record needs a full run (drop --quick)", file=sys.stderr)
        return 2
    site_root = args.site.resolve()
    if args.record and site_root != ROOT:
        print(
            "error: --record writes the About page's record: it measures this repository's site only", file=sys.stderr
        )
        return 2
    if not (site_root / "mkdocs.yml").is_file():
        print(f"error: {site_root}/mkdocs.yml not found: --site needs a site folder", file=sys.stderr)
        return 2
    repeats = args.repeats or (1 if args.quick else 5)
    scale_repeats = args.repeats or (1 if args.quick else 3)
    try:
        sizes = parse_sizes(args.sizes) if args.sizes else (QUICK_SIZES if args.quick else FULL_SIZES)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cores = os.cpu_count() or 1
    config = mkdocs_config.load(site_root / "mkdocs.yml")
    prior_mkdocs = None if args.no_prior else prior_art.ensure_venv(config)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="nutshell-bench-"))
    say(f"working in {work}")
    try:
        ours = make_ours(site_root, work)
        figures = figures_config(config)
        scripts, style = ours.root / figures.scripts_dir, figures.style_module
        published = work / "published"
        say("rendering every figure once, for the floor copy")
        figure_names = copy_rendered_figures(scripts, work / "publish-cache", published, style)
        floor = make_floor(site_root, work, published)
        prior = None if args.no_prior else make_prior(site_root, work)
        pages = len(list((ours.root / "docs").rglob("*.md")))
        mkdocs_build(floor, "floor-warmup")
        site = measure_site(ours, floor, prior, prior_mkdocs, repeats, scripts, style)

        serve: ServeResult | None = None
        if not args.no_serve:
            say("mkdocs serve latency")
            serve = measure_serve(ours, max(repeats, 3) if not args.quick else 1)
        say("figure bytes")
        figure_bytes = measure_bytes(scripts, published, work / "raw")
        size_results: list[SizeResult] = []
        if not args.no_scale:
            for pages_n, figures_n in sizes:
                size_results.append(measure_size(work, pages_n, figures_n, scale_repeats))

        targets = report.site_targets(site, cores, serve) + report.scale_targets(size_results)
        out = [report.site_table(site, pages, len(figure_names), repeats), report.singles_table(site, cores)]
        if serve is not None:
            out.append(report.serve_table(serve))
        out.append(report.bytes_table(figure_bytes))
        if size_results:
            out.append(report.scale_table(size_results))
        out.append(report.targets_table(targets))
        notes = ([] if args.no_prior else PRIOR_NOTES) + NOTES + (serve.notes if serve else [])
        if _git_dirty():
            notes.append("src/ had uncommitted changes when this was measured.")
        out.append("Notes:\n" + "\n".join(f"- {n}" for n in notes) + "\n")
        print("\n".join(out))
        data = report.record(
            meta=_meta(args, repeats, scale_repeats, pages, len(figure_names), cores),
            site=site,
            cores=cores,
            serve=serve,
            figure_bytes=figure_bytes,
            sizes=size_results,
            targets=targets,
            notes=notes,
        )
        benchmark_record.check(data)  # the format the About page reads; a drift fails here, not on the site
        text = json.dumps(data, indent=1) + "\n"
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        say(f"wrote {args.out}")
        if args.record:
            RECORD.parent.mkdir(parents=True, exist_ok=True)
            RECORD.write_text(text, encoding="utf-8")
            say(f"wrote {RECORD.relative_to(ROOT)}")
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0
