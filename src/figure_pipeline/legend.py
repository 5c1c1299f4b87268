"""A compact legend under any figure that uses more than one kind of edge.

The house style tags each edge with its kind (`class="request"`, `"control"`, ...); Graphviz
copies that onto the edge's `<g>`. Each kind in use gets a short sample drawn with the stroke of
the figure's first edge of that kind, and its name as text, in one or more rows below the figure.
`layout` places the rows; the figure lint measures the same layout, so the legend counts towards
the figure's height and smallest text as shown.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .geometry import text_width

NAMES = {
    "request": "request",
    "main": "main path",
    "control": "control, config",
    "reference": "reference",
    "failure": "failure",
}
FONT_SIZE = 13.0
SAMPLE = 30.0
ROW = 22.0

_S = "{http://www.w3.org/2000/svg}"
_STROKE_KEYS = ("stroke", "stroke-width", "stroke-dasharray")


def edge_styles(root: ET.Element) -> dict[str, dict[str, str]]:
    """The kinds of edge the figure uses, in order of first use, with the first one's stroke."""
    styles: dict[str, dict[str, str]] = {}
    for group in root.iter(f"{_S}g"):
        classes = (group.get("class") or "").split()
        if "edge" not in classes:
            continue
        kind = next((c for c in classes if c in NAMES), None)
        path = group.find(f"{_S}path")
        if kind is None or kind in styles or path is None:
            continue
        styles[kind] = {k: path.get(k, "") for k in _STROKE_KEYS if path.get(k)}
        head = group.find(f"{_S}polygon")
        if head is not None:
            styles[kind]["head"] = head.get("fill", path.get("stroke", "#000000"))
            # A tee head is a closed rectangle (five points), an arrow a closed triangle (four).
            styles[kind]["bar"] = "1" if len(head.get("points", "").split()) >= 5 else ""
    return styles


@dataclass(frozen=True)
class Entry:
    """One kind of edge in the legend: its name and where its sample line starts."""

    kind: str
    label: str
    x: float
    y: float  # the sample line's height, from the top of the legend
    text_x: float
    text_y: float  # the name's baseline


@dataclass(frozen=True)
class Layout:
    """Where the legend goes under a figure `width` units wide, and how much taller it makes it."""

    font_size: float
    entries: tuple[Entry, ...]
    height: float
    width: float  # the figure's width, or wider when one legend entry does not fit in it


def scale_proof_font(width: float, px_per_unit: float, min_px: float, column_px: float) -> float:
    """The legend's font size in SVG units: FONT_SIZE, or larger so that it still reads `min_px`
    CSS px when a figure `width` units wide is shrunk to the `column_px` text column."""
    natural = width * px_per_unit
    shown = min(1.0, column_px / natural) if natural > 0 else 1.0
    return max(FONT_SIZE, math.ceil(min_px / (px_per_unit * shown) * 10) / 10)


def layout(styles: dict[str, dict[str, str]], width: float, font_size: float = FONT_SIZE) -> Layout | None:
    """The legend's rows, or None when the figure uses fewer than two kinds of edge."""
    if len(styles) < 2:
        return None
    row = ROW * font_size / FONT_SIZE
    x, y, rows = 8.0, row / 2, 1
    entries = []
    right = width
    for kind in styles:
        label = NAMES[kind]
        name = text_width(label, font_size)
        item = SAMPLE + 6 + name + 18
        if x > 8 and x + item > width:
            x, y, rows = 8.0, y + row, rows + 1
        entries.append(Entry(kind, label, x, y, x + SAMPLE + 6, y + font_size * 0.35))
        right = max(right, math.ceil(x + SAMPLE + 6 + name + 8))
        x += item
    return Layout(font_size, tuple(entries), rows * row + 4, right)


def add_legend(root: ET.Element, styles: dict[str, dict[str, str]], font: str, font_size: float = FONT_SIZE) -> None:
    """Append the legend to the SVG when more than one kind of edge is in use; grow the canvas."""
    view = [float(v) for v in root.get("viewBox", "0 0 0 0").split()]
    width, height = view[2], view[3]
    plan = layout(styles, width, font_size)
    if plan is None:
        return
    legend = ET.SubElement(root, f"{_S}g", {"font-family": font, "font-size": f"{plan.font_size:g}"})
    for entry in plan.entries:
        style = styles[entry.kind]
        x, y = entry.x, height + entry.y
        attrs = {"x1": f"{x:g}", "y1": f"{y:g}", "x2": f"{x + SAMPLE - 6:g}", "y2": f"{y:g}"}
        attrs.update({k: v for k, v in style.items() if k not in ("head", "bar")})
        ET.SubElement(legend, f"{_S}line", attrs)
        tip = x + SAMPLE
        stroke = style.get("stroke", "#000000")
        head = style.get("head", stroke)
        if style.get("bar"):
            points = f"{tip - 3:g},{y - 4.5:g} {tip:g},{y - 4.5:g} {tip:g},{y + 4.5:g} {tip - 3:g},{y + 4.5:g}"
        else:
            points = f"{tip - 7:g},{y - 3.5:g} {tip:g},{y:g} {tip - 7:g},{y + 3.5:g}"
        ET.SubElement(legend, f"{_S}polygon", {"points": points, "fill": head, "stroke": stroke})
        text = ET.SubElement(
            legend,
            f"{_S}text",
            {"x": f"{entry.text_x:g}", "y": f"{height + entry.text_y:g}", "fill": stroke},
        )
        text.text = entry.label
    view[2], view[3] = max(width, plan.width), height + plan.height
    root.set("viewBox", " ".join(f"{v:g}" for v in view))
    unit = "px" if root.get("height", "").endswith("px") else "pt"
    root.set("height", f"{float(root.get('height', '0')[:-2]) + plan.height:g}{unit}")
    if plan.width > width:  # a figure narrower than one entry is widened: a name is never clipped
        root.set("width", f"{float(root.get('width', '0')[:-2]) + plan.width - width:g}{unit}")
