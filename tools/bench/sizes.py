"""Bytes per figure: our self-contained SVG against what `diagrams` writes on its own.

`diagrams`' raw SVG links each icon by absolute file path (`xlink:href="/…/resources/…png"`),
which no browser loads from an SVG shown as an image, so the raw SVG is small but broken on a
web page; the column "raw SVG + icons" adds the icon files it would need next to it.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .runs import base_env, say

HREF = re.compile(rb'xlink:href="([^"]+)"')


@dataclass(frozen=True)
class FigureBytes:
    name: str
    ours_svg: int
    ours_dark_svg: int
    png: int
    raw_svg: int
    raw_svg_icons: int
    ours_svg_gzip: int


def raw_outputs(scripts_dir: Path, names: list[str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    helper = Path(__file__).with_name("raw_render.py")
    proc = subprocess.run(
        [sys.executable, str(helper), str(scripts_dir), str(out), *names],
        env=base_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        say(f"warning: raw diagrams render had failures:\n{proc.stderr[-2000:]}")


def _icons(svg: bytes) -> int:
    paths = {Path(m.decode()) for m in HREF.findall(svg) if not m.startswith(b"data:")}
    return sum(p.stat().st_size for p in paths if p.is_file())


def measure_bytes(scripts_dir: Path, published: Path, out: Path) -> list[FigureBytes]:
    """`published` holds our `<name>.svg`/`<name>.dark.svg`; `out` gets diagrams' PNG and SVG."""
    names = sorted(p.name.removesuffix(".svg") for p in published.glob("*.svg") if not p.name.endswith(".dark.svg"))
    raw_outputs(scripts_dir, names, out)
    rows = []
    for name in names:
        png, svg = out / f"{name}.png", out / f"{name}.svg"
        if not (png.is_file() and svg.is_file()):
            continue
        ours = (published / f"{name}.svg").read_bytes()
        raw = svg.read_bytes()
        rows.append(
            FigureBytes(
                name=name,
                ours_svg=len(ours),
                ours_dark_svg=(published / f"{name}.dark.svg").stat().st_size,
                png=png.stat().st_size,
                raw_svg=len(raw),
                raw_svg_icons=len(raw) + _icons(raw),
                ours_svg_gzip=len(gzip.compress(ours, 9)),
            )
        )
    return rows
