"""`make figures-preview`: PNGs of every figure as readers see it, for review.

For each figure: light and dark, in the 688 px text column and on a 390 px phone (whose column
is 358 px), drawn by headless Chromium exactly as the page shows it (natural size, shrunk to the
column when wider). With `--against REF` (default `main`), figures whose script or the house
style differ from REF are also rendered from REF's scripts, and `before/` holds their PNGs,
so a pull request shows each changed figure before and after.

Writes into `--out` (default `figures-preview/`): `after/<name>.<light|dark>.<688|390>.png`,
`before/...` for changed figures, and `lint.json` with each figure's lint metrics. `--scripts`
picks another figure folder inside a git work tree (the tests use a fixture repository).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from figure_pipeline.options import RenderOptions  # noqa: E402
from figure_pipeline.render import render_all  # noqa: E402
from tools.common import CHROMIUM_ARGS, ChromiumMissing, chromium_executable  # noqa: E402

PAGES = {"light": "#ffffff", "dark": "#1e2129"}  # Material's default and slate page colours
COLUMNS = {688: 688, 390: 358}  # viewport -> text column width


def _render(scripts: Path, cache: Path) -> dict[str, tuple[Path, Path, dict]]:
    report = render_all(RenderOptions(scripts_dir=scripts, cache_dir=cache, lint_ignore=tuple(_all_rules())))
    out = {}
    for name, result in sorted(report.results.items()):
        if result.entry is None:
            print(f"{name}: not rendered: {result.problem.describe() if result.problem else ''}", file=sys.stderr)
            continue
        out[name] = (result.entry.light_svg, result.entry.dark_svg, result.entry.meta())
    return out


def _all_rules() -> list[str]:
    from figure_pipeline.lint import RULES

    return list(RULES)


def _shoot(figures: dict[str, tuple[Path, Path, dict]], out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        for viewport, column in COLUMNS.items():
            page = browser.new_page(viewport={"width": column + 32, "height": 600}, device_scale_factor=1)
            for name, (light, dark, meta) in figures.items():
                for variant, svg in (("light", light), ("dark", dark)):
                    # A file:// page may load file:// images; a page set from a string may not.
                    html = Path(tmp) / f"{name}.{variant}.html"
                    html.write_text(
                        f"<body style='margin:16px;background:{PAGES[variant]}'>"
                        f"<div style='width:{column}px'><img src='{svg.resolve().as_uri()}' "
                        f"width='{meta['width']}' height='{meta['height']}' "
                        "style='max-width:100%;height:auto;display:block'></div></body>",
                        encoding="utf-8",
                    )
                    page.goto(html.as_uri())
                    page.wait_for_load_state("load")
                    page.locator("img").screenshot(path=str(out / f"{name}.{variant}.{viewport}.png"))
            page.close()
        browser.close()


class PreviewError(RuntimeError):
    """A set-up problem (unknown git ref, no Chromium), reported as one line."""


def _git(scripts: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=scripts, capture_output=True, check=False)


def _changed(ref: str, scripts: Path) -> tuple[set[str], bool]:
    """Figure scripts in `scripts` that differ from `ref` (committed or not), and whether the house style does."""
    diff = _git(scripts, "diff", "--name-only", "--relative", ref, "--", ".")
    if diff.returncode:
        raise PreviewError(f"git diff against {ref!r} failed: {diff.stderr.decode().strip()}")
    names = {Path(p).stem for p in diff.stdout.decode().split() if p.endswith(".py")}
    return names, "house_style" in names


def _checkout(ref: str, scripts: Path, folder: Path) -> None:
    """Copy the figure scripts of `scripts` as they are at `ref` into `folder`."""
    listing = _git(scripts, "ls-tree", "--name-only", ref, "./")
    if listing.returncode:
        raise PreviewError(
            f"cannot read the figure scripts at {ref!r}: {listing.stderr.decode().strip()} "
            "(fetch that ref, or pass --against '' to skip the before/after pairs)"
        )
    folder.mkdir(parents=True)
    for path in listing.stdout.decode().split():
        if path.endswith(".py"):
            data = _git(scripts, "show", f"{ref}:./{path}").stdout
            (folder / Path(path).name).write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="figures-preview", help="output folder (default: figures-preview)")
    parser.add_argument("--against", default="main", help="git ref for before/after pairs ('' to skip)")
    parser.add_argument("--scripts", default=str(ROOT / "diagrams"), help="figure scripts (default: diagrams/)")
    parser.add_argument(
        "--cache", default=str(ROOT / ".cache" / "plugin" / "figures"), help="render cache (default: the build's)"
    )
    args = parser.parse_args(argv)
    out, scripts = Path(args.out), Path(args.scripts).resolve()
    try:
        chromium_executable()
        if args.against:  # check the ref before spending a minute on renders
            changed, style_changed = _changed(args.against, scripts)
    except (PreviewError, ChromiumMissing) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shutil.rmtree(out, ignore_errors=True)
    after = _render(scripts, Path(args.cache))
    _shoot(after, out / "after")
    metrics = {name: meta.get("lint", {}) for name, (_, _, meta) in after.items()}
    if args.against:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                _checkout(args.against, scripts, Path(tmp) / "diagrams")
            except PreviewError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            before = _render(Path(tmp) / "diagrams", Path(tmp) / "cache")
            pick = {n: v for n, v in before.items() if style_changed or n in changed}
            _shoot(pick, out / "before")
            for name, (_, _, meta) in pick.items():
                metrics.setdefault(name, {})["before"] = meta.get("lint", {})
    (out / "lint.json").write_text(json.dumps(metrics, indent=1, sort_keys=True), encoding="utf-8")
    print(f"wrote {sum(1 for _ in out.rglob('*.png'))} PNGs to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
