"""Command line: `python -m figure_pipeline render --out DIR` and friends.

This is the engine-free way in: any site generator (or none) can use the rendered SVG files
and the manifest that the Markdown extension reads.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cache import FigureCache, read_manifest
from .render import RenderOptions, discover, publish, render_all

DEFAULT_CACHE = Path(".cache/plugin/figures")


def _options(args: argparse.Namespace) -> RenderOptions:
    return RenderOptions(
        scripts_dir=Path(args.scripts),
        cache_dir=Path(args.cache_dir),
        style_module=args.style,
        workers=args.workers,
        timeout=args.timeout,
        lint_ignore=tuple(args.lint_ignore or ()),
    )


def _cmd_render(args: argparse.Namespace) -> int:
    options = _options(args)
    try:
        report = render_all(options, set(args.only) if args.only else None)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in report.problems:
        print(f"error: {problem.describe()}", file=sys.stderr)
    if args.out:
        written = publish(report, Path(args.out))
        print(f"wrote {len(written)} files to {args.out}")
    print(report.summary())
    return 1 if report.problems else 0


def _cmd_list(args: argparse.Namespace) -> int:
    """Each script with its status now: renders what changed (cached figures cost nothing), so a
    script edited since the last build is never reported with a stale status."""
    options = _options(args)
    try:
        report = render_all(options)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, script in discover(options.scripts_dir, options.style_module).items():
        result = report.results.get(name)
        status = "ok" if result is not None and result.problem is None else "error"
        print(f"{name:32} {script}  [{status}]")
        if result is not None and result.problem is not None:
            print("    " + result.problem.describe().replace("\n", "\n    "))
    if report.problems:
        print(f"{len(report.problems)} of {len(report.results)} figure scripts fail", file=sys.stderr)
    return 1 if report.problems else 0


def _cmd_prune(args: argparse.Namespace) -> int:
    options = _options(args)
    cache = FigureCache(options.cache_dir)
    keep = {record["key"] for record in read_manifest(options.cache_dir / "manifest.json").values()}
    print(f"removed {cache.prune(keep)} stale cache entries, temp folders and unused icons")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m figure_pipeline", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--scripts", default="diagrams", help="folder of figure scripts (default: diagrams)")
    common.add_argument("--style", default="house_style.py", help="house-style module in that folder")
    common.add_argument("--cache-dir", default=str(DEFAULT_CACHE), help="cache folder (default: .cache/plugin/figures)")
    common.add_argument("--workers", type=int, default=0, help="parallel renders (default: one per core)")
    common.add_argument("--timeout", type=float, default=60.0, help="seconds one script may run (default: 60)")
    common.add_argument(
        "--lint-ignore", nargs="*", metavar="RULE", help="figure-lint rules not to enforce (default: none)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", parents=[common], help="render figures (only changed ones run)")
    render.add_argument("--out", help="also copy <name>.svg and <name>.dark.svg into this folder")
    render.add_argument("--only", nargs="*", help="render just these figure names")
    render.set_defaults(func=_cmd_render)
    sub.add_parser("list", parents=[common], help="list figure scripts and their status").set_defaults(func=_cmd_list)
    sub.add_parser("prune", parents=[common], help="delete cache entries no figure uses").set_defaults(func=_cmd_prune)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m figure_pipeline`."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
