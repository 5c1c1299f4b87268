"""`make figures-preview`: PNGs of every figure as readers see it, for review.

For each figure: light and dark, in the 688 px text column and on a 390 px phone (whose column
is 358 px), drawn by headless Chromium exactly as the page shows it (natural size, shrunk to the
column when wider). With `--against REF` (default `main`), figures whose script or the house
style differ from REF are also rendered from REF's scripts, and `before/` holds their PNGs,
so a pull request shows each changed figure before and after.

Writes into `--out` (default `figures-preview/`): `after/<name>.<light|dark>.<688|390>.png`,
`before/...` for changed figures, and `lint.json` with each figure's lint metrics.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from figure_pipeline.options import RenderOptions  # noqa: E402
from figure_pipeline.render import render_all  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PAGES = {"light": "#ffffff", "dark": "#1e2029"}  # Material's default and slate page colours
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
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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


def _changed(ref: str) -> tuple[set[str], bool]:
    diff = subprocess.run(
        ["git", "diff", "--name-only", ref, "--", "diagrams"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    names = {Path(p).stem for p in diff.stdout.split() if p.endswith(".py")}
    return names, "house_style" in names


def _checkout(ref: str, folder: Path) -> None:
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", ref, "diagrams/"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    folder.mkdir(parents=True)
    for path in listing.stdout.split():
        if path.endswith(".py"):
            data = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=ROOT, capture_output=True, check=True).stdout
            (folder / Path(path).name).write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="figures-preview", help="output folder (default: figures-preview)")
    parser.add_argument("--against", default="main", help="git ref for before/after pairs ('' to skip)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    after = _render(ROOT / "diagrams", ROOT / ".cache" / "plugin" / "figures")
    _shoot(after, out / "after")
    metrics = {name: meta.get("lint", {}) for name, (_, _, meta) in after.items()}
    if args.against:
        changed, style_changed = _changed(args.against)
        with tempfile.TemporaryDirectory() as tmp:
            _checkout(args.against, Path(tmp) / "diagrams")
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
