"""The figure lint: measure the SVG Graphviz laid out and report what a reader would trip over.

It reads the raw Graphviz SVG (before post-processing strips its `class` and `<title>` marks),
so it knows which shapes belong to which node, edge and group, and measures:

- `end-gap`: every arrowhead and tail ends within 4 px of its node's drawn ink (card outline,
  icon or label), or of the group border for an edge drawn into or out of a group;
- `text-overlap`: no text overprints other text;
- `line-through-text`: no edge passes through a node label, an edge label or a group title;
- `label-crosses-group`: no label or node card straddles a group border;
- `too-tall`: at the 688 px text column the figure is at most 850 px tall;
- `text-too-small`: at the 688 px column the smallest text is at least 13 px;
  both measure the figure as shown: with the legend the pipeline adds under it (`legend.py`);
- `crossings`: at most 2 edge crossings, unless the script says why (`crossings_because`);
- `icon-reuse`: one icon never stands for two different labels in one figure;
- `long-label`: node names at most 2 lines, edge labels at most 3 words (step numbers such as
  `4` or `4.` do not count); the rest belongs in the caption or the text;
- `icon-contrast`: every icon's ink reaches 3:1 against the fill under it, in the light and
  the dark variant (measured on the finished SVGs: `contrast.py` defines the metric);
- `one-accent-path`: the accent edges (`main_path`) form at most one path, followed in one
  stroke along their arrows: no fork, no merge, no second chain (`accent.py`).
- `label-room`: text of two different elements (node label, edge label, group title) at least
  14 px apart side by side on one line and at least 6 px apart stacked, so two labels never
  read as one; an edge label or group title at least 3 px from a group border or node card
  not its own (`room.py`).

Distances are CSS px at the size the figure is shown in the 688 px column.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

from . import accent, contrast, defaults, dot, room
from .geometry import (
    Box,
    Point,
    Segment,
    distance,
    numbers,
    path_points,
    polygon_points,
    segment_intersection,
    text_box,
    text_width,
)
from .geometry import segments as to_segments
from .legend import edge_styles, layout, scale_proof_font

COLUMN_PX = defaults.COLUMN_PX
MAX_HEIGHT_PX = 850
MIN_TEXT_PX = 13
MAX_END_GAP_PX = 4
MAX_CROSSINGS = 2

RULES = (
    "end-gap",
    "text-overlap",
    "line-through-text",
    "label-crosses-group",
    "too-tall",
    "text-too-small",
    "crossings",
    "icon-reuse",
    "long-label",
    contrast.RULE,
    accent.RULE,
    room.RULE,
)
MAX_NODE_LINES = 2
MAX_EDGE_WORDS = 3

FIXES = {
    "end-gap": "draw nodes with the house style (cards sized to their content); for an edge into a group use "
    "`into=`/`out_of=` so it ends on the group border",
    "text-overlap": "shorten the labels (node names at most 2 lines, edge labels about 3 words) or move the "
    "detail into the caption; more `nodesep`/`ranksep` also separates them",
    "line-through-text": "reorder the nodes or change `direction` so the edge runs beside the text, or drop the "
    "edge label; an edge into a group should use `into=`",
    "label-crosses-group": "shorten the label or give the group more room (a longer group title, or put the node "
    "in its own row)",
    "too-tall": "lay the figure out left to right, merge rows, or split it into two figures",
    "text-too-small": "the figure is wider than the column and is shrunk: lay it out top to bottom, shorten "
    "labels or split it",
    "crossings": "reorder nodes or groups so edges do not cross, or state why they must in "
    '`figure(..., crossings_because="...")`',
    "icon-reuse": "give each concept its own icon (see the icon map in house_style.py) or a plain text node",
    "long-label": "say it in fewer words (node names at most 2 lines, edge labels about 3 words) and move the "
    "detail into the caption or the page text",
    contrast.RULE: contrast.FIX,
    accent.RULE: accent.FIX,
    room.RULE: room.FIX,
}

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_CROSSINGS_BECAUSE = re.compile(r'crossings_because="((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, which elements, what was measured."""

    rule: str
    elements: str
    detail: str

    def describe(self) -> str:
        return f"[{self.rule}] {self.elements}: {self.detail}"


@dataclass
class Text:
    """One drawn text: the element it belongs to, its string, its box and its font size."""

    owner: str
    text: str
    box: Box
    size: float
    element: str = ""  # what the text is part of ("node:<id>", "edge:<n>", "group:<name>")


@dataclass
class Shape:
    """A node or a group as drawn."""

    key: str  # DOT id or cluster name
    label: str
    name: str = ""  # a node's label as written, lines and all
    outline: Box | None = None
    icons: list[tuple[str, Box]] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)

    def ink(self) -> list[Box]:
        boxes = [b for _, b in self.icons] + [t.box for t in self.texts]
        return boxes + ([self.outline] if self.outline is not None else [])


@dataclass
class Line:
    """An edge as drawn: its sampled spline, arrowheads, label and ends."""

    tail: str
    head: str
    points: list[Point]
    heads: list[list[Point]]
    texts: list[Text]
    lhead: str = ""
    ltail: str = ""

    @property
    def name(self) -> str:
        return f"{self.tail} -> {self.head}"


@dataclass
class Report:
    """Everything measured in one figure, and the rules it breaks."""

    violations: list[Violation]
    metrics: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"violations": [asdict(v) for v in self.violations], "metrics": self.metrics}


def _float(value: str | None) -> float:
    return float(re.sub(r"[a-z%]+$", "", value or "0"))


def _texts(group: ET.Element, owner: str, shift: Point, element: str = "") -> list[Text]:
    out = []
    for el in group.iter(f"{_SVG}text"):
        raw = el.text or ""
        if not raw.strip():
            continue
        size = _float(el.get("font-size", "14"))
        x, y = _float(el.get("x")) + shift[0], _float(el.get("y")) + shift[1]
        box = _ink_box(raw, x, y, size, el.get("text-anchor", "start"))
        out.append(Text(owner, raw.strip(), box, size, element or owner))
    return out


def _ink_box(text: str, x: float, y: float, size: float, anchor: str) -> Box:
    """The text box of the words alone: spaces around them (a label padded with no-break spaces
    for room) are laid out but draw nothing."""
    box = text_box(text, x, y, size, anchor)
    words = text.strip()
    lead = text_width(text[: text.index(words)], size)
    trail = text_width(text[text.index(words) + len(words) :], size)
    return Box(box.x0 + lead, box.y0, box.x1 - trail, box.y1)


def _shifted(points: list[Point], shift: Point) -> list[Point]:
    return [(x + shift[0], y + shift[1]) for x, y in points]


def _edge_extras(dot_source: str) -> list[tuple[str, str, str, str]]:
    return [(tail, head, attrs.get("lhead", ""), attrs.get("ltail", "")) for tail, head, attrs in dot.edges(dot_source)]


@dataclass
class Drawing:
    """The parsed figure: nodes, groups and edges with their geometry, in SVG user units."""

    width: float
    height: float
    nodes: dict[str, Shape]
    groups: dict[str, Shape]
    lines: list[Line]
    crossings_because: str = ""
    edge_kinds: dict[str, dict[str, str]] = field(default_factory=dict)  # what the legend shows


def parse(raw_svg: str, dot_source: str = "", labels: dict[str, str] | None = None) -> Drawing:
    """Read the raw Graphviz SVG into nodes, groups and edges."""
    labels = labels or {}
    root = ET.fromstring(raw_svg)
    view = numbers(root.get("viewBox", "0 0 0 0"))
    graph = root.find(f"{_SVG}g")
    shift: Point = (0.0, 0.0)
    if graph is not None:
        match = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", graph.get("transform", ""))
        if match:
            shift = (float(match.group(1)), float(match.group(2)))
    nodes: dict[str, Shape] = {}
    groups: dict[str, Shape] = {}
    lines: list[Line] = []
    extras = _edge_extras(dot_source)
    for el in graph.iter(f"{_SVG}g") if graph is not None else []:
        kind = (el.get("class") or "").split()
        title = el.find(f"{_SVG}title")
        key = (title.text or "") if title is not None else ""
        if "cluster" in kind:
            shape = Shape(key, "")
            outline = [p for tag in ("path", "polygon") for p in el.findall(f"{_SVG}{tag}")]
            if outline:
                pts = path_points(outline[0].get("d", "")) or polygon_points(outline[0].get("points", ""))
                shape.outline = Box.around(_shifted(pts, shift))
            shape.texts = _texts(el, key, shift, f"group:{key}")
            shape.label = " ".join(t.text for t in shape.texts) or key
            for t in shape.texts:
                t.owner = f"group '{shape.label}'"
            groups[key] = shape
        elif "node" in kind:
            shape = Shape(key, labels.get(key, key).replace("\n", " "), labels.get(key, key))
            drawn = [p for p in el.findall(f"{_SVG}path") if p.get("stroke") not in (None, "transparent", "none")]
            drawn += [p for p in el.findall(f"{_SVG}polygon") if p.get("stroke") not in (None, "transparent", "none")]
            if drawn:
                pts = path_points(drawn[-1].get("d", "")) or polygon_points(drawn[-1].get("points", ""))
                shape.outline = Box.around(_shifted(pts, shift))
            for image in el.iter(f"{_SVG}image"):
                x, y = _float(image.get("x")) + shift[0], _float(image.get("y")) + shift[1]
                box = Box(x, y, x + _float(image.get("width")), y + _float(image.get("height")))
                shape.icons.append((image.get(_XLINK_HREF) or image.get("href") or "", box))
            shape.texts = _texts(el, f"node '{shape.label}'", shift, f"node:{key}")
            nodes[key] = shape
        elif "edge" in kind:
            tail, _, head = key.partition("->")
            path = el.find(f"{_SVG}path")
            pts = _shifted(path_points(path.get("d", "")), shift) if path is not None else []
            heads = [_shifted(polygon_points(p.get("points", "")), shift) for p in el.findall(f"{_SVG}polygon")]
            line = Line(tail, head, pts, heads, [])
            line.texts = _texts(el, "", shift, f"edge:{len(lines)}")
            lines.append(line)
    for line in lines:
        for text in line.texts:
            text.owner = f"label '{text.text}' of {_edge_name(line, nodes)}"
    # Graphviz may write edges in another order than the DOT source: match them by their ends.
    pending: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for tail, head, lhead, ltail in extras:
        pending.setdefault((tail, head), []).append((lhead, ltail))
    for line in lines:
        queue = pending.get((line.tail, line.head))
        if queue:
            line.lhead, line.ltail = queue.pop(0)
    because = _CROSSINGS_BECAUSE.search(dot_source)
    return Drawing(
        width=view[2] if len(view) == 4 else 0.0,
        height=view[3] if len(view) == 4 else 0.0,
        nodes=nodes,
        groups=groups,
        lines=lines,
        crossings_because=because.group(1) if because else "",
        edge_kinds=edge_styles(root),
    )


def _edge_name(line: Line, nodes: dict[str, Shape]) -> str:
    tail = nodes[line.tail].label if line.tail in nodes else line.tail
    head = nodes[line.head].label if line.head in nodes else line.head
    return f"edge '{tail}' -> '{head}'"


def _ends(line: Line) -> list[tuple[str, Point]]:
    """(tail|head, the point where that end is drawn): an arrowhead's tip, else the path's end."""
    if not line.points:
        return []
    out = []
    pts = line.points
    for which, end, before in (("tail", pts[0], pts[min(1, len(pts) - 1)]), ("head", pts[-1], pts[max(-2, -len(pts))])):
        tip = end
        for poly in line.heads:
            if poly and min(distance(end, p) for p in poly) < 6:
                tip = _tip(poly, end, before)
        out.append((which, tip))
    return out


def _tip(poly: list[Point], end: Point, before: Point) -> Point:
    """The front of an arrowhead: the middle of its vertices furthest along the edge's direction.

    For a pointed head that is the point; for a bar (`tee`) it is the middle of the bar.
    """
    dx, dy = end[0] - before[0], end[1] - before[1]
    if dx == dy == 0:
        return max(poly, key=lambda p: distance(end, p))
    reach = [(p[0] - end[0]) * dx + (p[1] - end[1]) * dy for p in poly]
    if max(reach) <= 0:  # the path runs on past the head: take the far vertex
        return max(poly, key=lambda p: distance(end, p))
    norm = (dx * dx + dy * dy) ** 0.5
    front = [p for p, r in zip(poly, reach, strict=True) if (max(reach) - r) / norm < 1.0]
    return (sum(p[0] for p in front) / len(front), sum(p[1] for p in front) / len(front))


def _groups_of(drawing: Drawing, shape: Shape) -> list[Shape]:
    if shape.outline is None:
        return []
    return [g for g in drawing.groups.values() if g.outline is not None and g.outline.contains(shape.outline, 1)]


def _end_gaps(drawing: Drawing, scale: float) -> tuple[list[Violation], float, int]:
    violations, largest, arrowheads = [], 0.0, 0
    for line in drawing.lines:
        arrowheads += len(line.heads)
        for which, tip in _ends(line):
            node = drawing.nodes.get(line.tail if which == "tail" else line.head)
            if node is None:
                continue
            cluster = drawing.groups.get(line.ltail if which == "tail" else line.lhead)
            if cluster is not None and cluster.outline is not None:
                gap = cluster.outline.outline_distance(tip)
                target = f"group '{cluster.label}'"
            else:
                ink = node.ink()
                gap = min((b.distance(tip) for b in ink), default=0.0)
                target = f"node '{node.label}'"
            gap *= scale
            largest = max(largest, gap)
            if gap > MAX_END_GAP_PX:
                violations.append(
                    Violation(
                        "end-gap",
                        _edge_name(line, drawing.nodes),
                        f"its {which} stops {gap:.0f} px from {target} (at most {MAX_END_GAP_PX} px)",
                    )
                )
    return violations, largest, arrowheads


def _all_texts(drawing: Drawing) -> list[Text]:
    out = [t for s in (*drawing.nodes.values(), *drawing.groups.values()) for t in s.texts]
    return out + [t for line in drawing.lines for t in line.texts]


def _overlaps(texts: list[Text]) -> list[Violation]:
    out = []
    for a, b in combinations(texts, 2):
        if a.owner == b.owner:
            continue
        if a.box.shrink(0.5).overlap(b.box.shrink(0.5)) > 1.0:
            out.append(
                Violation("text-overlap", f"'{a.text}' ({a.owner}) and '{b.text}' ({b.owner})", "they overprint")
            )
    return out


def _line_segments(line: Line) -> list[Segment]:
    segs = to_segments(line.points)
    for poly in line.heads:
        segs += to_segments([*poly, poly[0]]) if poly else []
    return segs


def _through_text(drawing: Drawing, texts: list[Text]) -> list[Violation]:
    out = []
    for line in drawing.lines:
        segs = _line_segments(line)
        for text in texts:
            box = text.box.shrink(1.0)
            if any(box.crosses_segment(s) for s in segs):
                out.append(
                    Violation(
                        "line-through-text",
                        _edge_name(line, drawing.nodes),
                        f"runs through '{text.text}' ({text.owner})",
                    )
                )
    return out


def _room(drawing: Drawing, texts: list[Text], scale: float) -> list[Violation]:
    """`label-room`: text too close to other text, edge labels and group titles too close to a border."""
    items = [room.Item(t.element, t.owner, t.box, t.text) for t in texts]
    labels = [item for item in items if not item.element.startswith("node:")]
    frames = [
        room.Item(f"group:{key}", f"group '{g.label}'", g.outline)
        for key, g in drawing.groups.items()
        if g.outline is not None
    ]
    frames += [
        room.Item(f"node:{key}", f"node '{n.label}'", n.outline)
        for key, n in drawing.nodes.items()
        if n.outline is not None
    ]
    found = room.text_gaps(items, scale) + room.border_gaps(labels, frames, scale)
    return [Violation(room.RULE, elements, detail) for elements, detail in found]


def _straddles(drawing: Drawing) -> list[Violation]:
    out = []
    items: list[tuple[str, Box]] = []
    for node in drawing.nodes.values():
        if node.outline is not None:
            items.append((f"node '{node.label}'", node.outline))
        else:
            items += [(f"'{t.text}' ({t.owner})", t.box) for t in node.texts]
    for line in drawing.lines:
        items += [(f"'{t.text}' ({t.owner})", t.box) for t in line.texts]
    for group in drawing.groups.values():
        if group.outline is None:
            continue
        border = group.outline
        for name, box in items:
            if box.shrink(1.0).overlap(border) > 0 and not border.contains(box, 1.0):
                out.append(Violation("label-crosses-group", name, f"crosses the border of group '{group.label}'"))
    return out


SHARED_END = 6.0  # SVG units: how close two edges' ends must be to count as one meeting point


def _at_shared_end(p: Point, a: Line, b: Line) -> bool:
    """Whether `p` is where both edges end together (two edges meeting at one node's port):
    near an end of `a` and an end of `b` at once. A crossing next to only one edge's end, such as
    a line cut across another edge's arrowhead, is a crossing."""
    ends_a = (a.points[0], a.points[-1])
    ends_b = (b.points[0], b.points[-1])
    return any(distance(p, ea) < SHARED_END and distance(p, eb) < SHARED_END for ea in ends_a for eb in ends_b)


def _crossings(drawing: Drawing) -> tuple[list[tuple[str, str]], int]:
    pairs, count = [], 0
    for a, b in combinations(drawing.lines, 2):
        if not a.points or not b.points:
            continue
        # Grown by a unit, so a straight vertical or horizontal edge's box is not empty.
        if Box.around(a.points).shrink(-1).overlap(Box.around(b.points).shrink(-1)) <= 0:
            continue
        hits: list[Point] = []
        for sa in to_segments(a.points):
            for sb in to_segments(b.points):
                p = segment_intersection(sa, sb)
                if p is None or _at_shared_end(p, a, b):
                    continue
                if all(distance(p, q) > 4 for q in hits):
                    hits.append(p)
        if hits:
            count += len(hits)
            pairs.append((_edge_name(a, drawing.nodes), _edge_name(b, drawing.nodes)))
    return pairs, count


def legend_font(width: float, px_per_unit: float) -> float:
    """The legend's font size in SVG units for a figure `width` units wide: at least MIN_TEXT_PX
    in the column however much the figure shrinks."""
    return scale_proof_font(width, px_per_unit, MIN_TEXT_PX, COLUMN_PX)


def _legend_texts(drawing: Drawing, font_size: float) -> tuple[list[Text], float, float]:
    """The legend's labels where the pipeline draws them under the figure, its height, and the
    figure's width with it (wider when one legend entry does not fit)."""
    plan = layout(drawing.edge_kinds, drawing.width, font_size)
    if plan is None:
        return [], 0.0, drawing.width
    texts = []
    for entry in plan.entries:
        box = text_box(entry.label, entry.text_x, drawing.height + entry.text_y, plan.font_size, "start")
        texts.append(Text("the legend", entry.label, box, plan.font_size))
    return texts, plan.height, plan.width


_INSTANCE = re.compile(r"[-\s]+(?:v?\d+|[a-z])$")


def _concept(label: str) -> str:
    """A node's name without its instance marker or details: 'web-a 10.244.2.5', 'web-b' and
    'reviews-v2 (canary)' name one concept each (the name is the first line, before any '(')."""
    name = label.split("\n", 1)[0].split("(", 1)[0].strip().lower()
    return _INSTANCE.sub("", name)


def _icon_reuse(drawing: Drawing) -> list[Violation]:
    by_icon: dict[str, set[str]] = {}
    concepts: dict[str, set[str]] = {}
    for node in drawing.nodes.values():
        for href, _ in node.icons:
            by_icon.setdefault(href, set()).add(node.label)
            concepts.setdefault(href, set()).add(_concept(node.name))
    out = []
    for href, names in sorted(by_icon.items()):
        if len(concepts[href]) > 1:
            icon = href.rsplit("/", 1)[-1]
            out.append(
                Violation("icon-reuse", ", ".join(f"'{n}'" for n in sorted(names)), f"all drawn with the icon {icon}")
            )
    return out


_STEP = re.compile(r"^\d+[.)]?$")


def _long_labels(drawing: Drawing) -> list[Violation]:
    out = []
    for node in drawing.nodes.values():
        lines = node.name.count("\n") + 1 if node.name else 0
        if lines > MAX_NODE_LINES:
            out.append(Violation("long-label", f"node '{node.label}'", f"has {lines} lines (at most {MAX_NODE_LINES})"))
    for line in drawing.lines:
        text = " ".join(t.text for t in line.texts)
        words = [w for w in text.split() if not _STEP.match(w)]
        if len(words) > MAX_EDGE_WORDS:
            out.append(
                Violation(
                    "long-label",
                    f"label '{text}' of {_edge_name(line, drawing.nodes)}",
                    f"has {len(words)} words (about {MAX_EDGE_WORDS})",
                )
            )
    return out


def lint(
    raw_svg: str,
    dot_source: str = "",
    labels: dict[str, str] | None = None,
    px_per_unit: float = 1.0,
    finished: tuple[str, str] | None = None,
) -> Report:
    """Measure one figure. `px_per_unit` is how many CSS px one SVG user unit is at natural size;
    `finished` is the (light, dark) SVG pair readers get, for the icon-contrast rule."""
    drawing = parse(raw_svg, dot_source, labels)
    legend_texts, legend_height, width = _legend_texts(drawing, legend_font(drawing.width, px_per_unit))
    natural_w, natural_h = width * px_per_unit, (drawing.height + legend_height) * px_per_unit
    shown = min(1.0, COLUMN_PX / natural_w) if natural_w else 1.0
    scale = px_per_unit * shown  # SVG units -> CSS px in the column
    violations: list[Violation] = []
    gaps, largest_gap, arrowheads = _end_gaps(drawing, scale)
    violations += gaps
    texts = _all_texts(drawing)
    overlaps = _overlaps(texts)
    violations += overlaps
    through = _through_text(drawing, texts)
    violations += through
    violations += _straddles(drawing)
    height = natural_h * shown
    if height > MAX_HEIGHT_PX:
        violations.append(
            Violation("too-tall", "the figure", f"is {height:.0f} px tall in the column (at most {MAX_HEIGHT_PX} px)")
        )
    smallest_text = min(texts + legend_texts, key=lambda t: t.size, default=None)
    smallest = (smallest_text.size if smallest_text else MIN_TEXT_PX / scale) * scale
    if smallest < MIN_TEXT_PX - 0.05:
        where = f"'{smallest_text.text}' ({smallest_text.owner})" if smallest_text else "the figure"
        violations.append(
            Violation(
                "text-too-small",
                where,
                f"its smallest text is {smallest:.1f} px in the column (at least {MIN_TEXT_PX} px); "
                f"it is {natural_w:.0f} px wide and shrinks to {COLUMN_PX} px",
            )
        )
    pairs, crossings = _crossings(drawing)
    if crossings > MAX_CROSSINGS and not drawing.crossings_because:
        listed = "; ".join(f"{a} and {b}" for a, b in pairs)
        violations.append(Violation("crossings", listed, f"{crossings} edge crossings (at most {MAX_CROSSINGS})"))
    violations += _icon_reuse(drawing)
    violations += _long_labels(drawing)
    icons = contrast.measure(*finished) if finished else []
    violations += [Violation(contrast.RULE, e, d) for e, d in contrast.problems(icons)]
    violations += [Violation(accent.RULE, e, d) for e, d in accent.problems(dot_source, labels or {})]
    violations += _room(drawing, texts, scale)
    metrics = {
        "arrowheads": arrowheads,
        "largest_end_gap_px": round(largest_gap, 1),
        "end_gaps": len(gaps),
        "text_overlaps": len(overlaps),
        "lines_through_text": len(through),
        "crossings": crossings,
        "display_height_px": round(height),
        "smallest_text_px": round(smallest, 1),
        "smallest_text_natural_px": round(smallest / shown, 1),
        "lowest_icon_contrast": min((min(i.light, i.dark) for i in icons), default=None),
    }
    return Report(violations, metrics)


def describe(violations: list[Violation]) -> str:
    """The lint's findings as one message: each violation, then what to do for each rule broken."""
    lines = [f"the figure lint found {len(violations)} problem{'s' if len(violations) != 1 else ''}:"]
    lines += [f"  - {v.describe()}" for v in violations]
    return "\n".join(lines)


def fixes(violations: list[Violation]) -> str:
    """One fix hint per violated rule, in the order the rules were first found."""
    rules = list(dict.fromkeys(v.rule for v in violations))
    return "; ".join(f"{rule}: {FIXES[rule]}" for rule in rules)
