"""Command line: `python -m figure_pipeline render --out DIR` and friends.

This is the engine-free way in: any site generator (or none) can use the rendered SVG files
and the manifest that the Markdown extension reads.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import defaults
from .cache import FigureCache, cache_key, read_manifest
from .options import RenderOptions
from .render import RenderReport, copy_figures, discover, render_all
from .sandbox import SandboxUnavailable


def _options(args: argparse.Namespace) -> RenderOptions:
    return RenderOptions(
        scripts_dir=Path(args.scripts),
        cache_dir=Path(args.cache_dir),
        style_module=args.style,
        workers=args.concurrency,
        timeout=args.timeout,
        memory_mb=args.memory_limit,
        lint_ignore=tuple(args.lint_ignore or ()),
    )


def _print_report(report: RenderReport) -> None:
    print(report.sandbox, file=sys.stderr)
    if report.swept:
        print(f"removed {report.swept} temp folders left by killed builds", file=sys.stderr)
    for note in report.notes:
        print(f"warning: {note}", file=sys.stderr)
    for problem in report.problems:
        print(f"error: {problem.describe()}", file=sys.stderr)


def _render(options: RenderOptions, only: set[str] | None) -> RenderReport | None:
    """render_all, with a bad option or set-up reported as one line (None) instead of a traceback."""
    try:
        return render_all(options, only)
    except (ValueError, SandboxUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _cmd_render(args: argparse.Namespace) -> int:
    options = _options(args)
    report = _render(options, set(args.only) if args.only else None)
    if report is None:
        return 2
    _print_report(report)
    if args.out:
        written = copy_figures(report, Path(args.out))
        print(f"wrote {len(written)} files to {args.out}")
    print(report.summary())
    return 1 if report.problems else 0


def _cmd_run(args: argparse.Namespace) -> int:
    """Render one script exactly as the build does, into a throwaway cache, and show why it fails."""
    script = Path(args.script)
    if not script.is_file() or script.suffix != ".py":
        print(f"error: {script} is not a figure script (a .py file)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="figure-run-") as scratch:
        options = RenderOptions(
            scripts_dir=script.parent,
            cache_dir=Path(scratch),
            style_module=args.style,
            timeout=args.timeout,
            memory_mb=args.memory_limit,
        )
        report = _render(options, {script.stem})
        if report is None:
            return 2
        result = report.results.get(script.stem)
        if result is None:
            print(f"error: {script} is not a figure script (it is the style module or private)", file=sys.stderr)
            return 2
        _print_report(report)
        if result.problem is not None:
            if result.problem.details:
                print(result.problem.details.rstrip(), file=sys.stderr)
            return 1
        if args.out:
            copy_figures(report, Path(args.out))
            print(f"wrote {script.stem}.svg and {script.stem}.dark.svg to {args.out}")
        meta = result.entry.meta() if result.entry else {}
        print(f"{script}: rendered '{meta.get('title', '')}' ({meta.get('width')}x{meta.get('height')} px)")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    """Each script with its status now: renders what changed (cached figures cost nothing), so a
    script edited since the last build is never reported with a stale status."""
    options = _options(args)
    report = _render(options, None)
    if report is None:
        return 2
    _print_report(report)
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
    keep = {record["key"] for record in read_manifest(options.cache_dir / defaults.MANIFEST_FILE).values()}
    # Also the entries the current scripts would use: a killed build wrote no manifest, but its
    # finished entries are good (and the next build would otherwise render them again).
    style = options.scripts_dir / options.style_module
    if style.is_file():
        keep |= {
            cache_key(script.read_bytes(), style.read_bytes(), options.key_options())
            for script in discover(options.scripts_dir, options.style_module).values()
        }
    print(f"removed {cache.prune(keep)} stale cache entries, temp folders and unused icons")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: render, run, list and prune, sharing the pipeline's options."""
    parser = argparse.ArgumentParser(prog="python -m figure_pipeline", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--scripts", default=defaults.SCRIPTS_DIR, help=f"folder of figure scripts (default: {defaults.SCRIPTS_DIR})"
    )
    common.add_argument(
        "--style", default=defaults.STYLE_MODULE, help=f"house-style module in that folder ({defaults.STYLE_MODULE})"
    )
    common.add_argument("--cache-dir", default=defaults.CACHE_DIR, help=f"cache folder (default: {defaults.CACHE_DIR})")
    common.add_argument(
        "--concurrency",
        type=int,
        default=defaults.WORKERS,
        help="parallel renders, as the plugin's `concurrency` option (default: 0, one per core)",
    )
    # The flag's first name; it differed from the plugin option for the same setting.
    common.add_argument("--workers", type=int, dest="deprecated_workers", help=argparse.SUPPRESS)
    common.add_argument(
        "--timeout",
        type=float,
        default=defaults.TIMEOUT_S,
        help=f"seconds one script may run (default: {defaults.TIMEOUT_S:g})",
    )
    common.add_argument(
        "--memory-limit",
        type=int,
        default=defaults.MEMORY_MB,
        help=f"MiB of address space one script may use (default: {defaults.MEMORY_MB})",
    )
    common.add_argument(
        "--lint-ignore", nargs="*", metavar="RULE", help="figure-lint rules not to enforce (default: none)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", parents=[common], help="render figures (only changed ones run)")
    render.add_argument("--out", help="also copy <name>.svg and <name>.dark.svg into this folder")
    render.add_argument("--only", nargs="*", help="render just these figure names")
    render.set_defaults(func=_cmd_render)
    run = sub.add_parser(
        "run", parents=[common], help="render one script as the build does, writing nothing, and show its traceback"
    )
    run.add_argument("script", help="the figure script, e.g. diagrams/pod_sidecar.py")
    run.add_argument("--out", help="also copy its SVG files into this folder")
    run.set_defaults(func=_cmd_run)
    sub.add_parser("list", parents=[common], help="list figure scripts and their status").set_defaults(func=_cmd_list)
    sub.add_parser(
        "prune", parents=[common], help="delete unused or corrupt cache entries and killed builds' temp folders"
    ).set_defaults(func=_cmd_prune)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m figure_pipeline`."""
    args = build_parser().parse_args(argv)
    if args.deprecated_workers is not None:
        print("warning: --workers is deprecated: use --concurrency (the plugin option's name)", file=sys.stderr)
        args.concurrency = args.deprecated_workers
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
