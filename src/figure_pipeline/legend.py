"""A compact legend under any figure that uses more than one kind of edge.

The house style tags each edge with its kind (`class="request"`, `"control"`, ...); Graphviz
copies that onto the edge's `<g>`. Each kind in use gets a short sample drawn with the stroke of
the figure's first edge of that kind, and its name as text, in one or more rows below the figure.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

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


def add_legend(root: ET.Element, styles: dict[str, dict[str, str]], font: str) -> None:
    """Append the legend to the SVG when more than one kind of edge is in use; grow the canvas."""
    if len(styles) < 2:
        return
    view = [float(v) for v in root.get("viewBox", "0 0 0 0").split()]
    width, height = view[2], view[3]
    legend = ET.SubElement(root, f"{_S}g", {"font-family": font, "font-size": f"{FONT_SIZE:g}"})
    x, y = 8.0, height + ROW / 2
    rows = 1
    for kind, style in styles.items():
        label = NAMES[kind]
        item = SAMPLE + 6 + text_width(label, FONT_SIZE) + 18
        if x > 8 and x + item > width:
            x, y, rows = 8.0, y + ROW, rows + 1
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
            {"x": f"{x + SAMPLE + 6:g}", "y": f"{y + FONT_SIZE * 0.35:g}", "fill": style.get("stroke", "#000000")},
        )
        text.text = label
        x += item
    extra = rows * ROW + 4
    view[3] = height + extra
    root.set("viewBox", " ".join(f"{v:g}" for v in view))
    unit = "px" if root.get("height", "").endswith("px") else "pt"
    root.set("height", f"{float(root.get('height', '0')[:-2]) + extra:g}{unit}")
