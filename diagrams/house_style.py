"""House style shared by every Nutshell figure.

Figure scripts import this module instead of configuring `diagrams` themselves, so every
picture on the site has the same fonts, spacing, node shape, edge vocabulary and colours. The
light colours below are the source of truth; the pipeline derives the dark-mode variant of each
figure from them (see `DARK` for the tokens it maps to).

Typical use in a script::

    from diagrams.onprem.network import Envoy
    from house_style import box, figure, group, request

    with figure("Pod with a sidecar"):
        with group("pod"):  # the pod is the group; a container inside it is never the Pod icon
            proxy = Envoy("sidecar proxy")
            app = box("app container")
        proxy >> request("localhost") >> app

Nodes are cards: a rounded box holding the icon and the label side by side, sized to its
content. `diagrams` itself draws every node as a fixed, invisible 1.9 in box, so edges stopped
in empty space; here the box Graphviz clips edges at *is* the drawn outline.

Keep this module free of figure content: it is part of every figure's cache key, so any edit
here re-renders every figure.
"""

from __future__ import annotations

import itertools
from html import escape
from typing import Any

from diagrams import Cluster, Diagram, Edge, Node, getcluster, getdiagram

# Figure-lint rules (figure_pipeline/lint.py) measured and shown in `make figures-preview` but
# not yet enforced on this site; every other rule fails the build. Only the newest rule may wait
# here while the figures that break it are redrawn (tests/test_figure_lint.py checks that).
LINT_PENDING = ()

# Text stays text in the SVG: these families exist (or have a close metric match) on Linux,
# macOS and Windows, so the browser's text width matches the width Graphviz laid out.
FONT = "DejaVu Sans,Verdana,sans-serif"

INK = "#24292f"  # node names and group titles
MUTED = "#57606a"  # edge labels: smaller and lighter than node names
EDGE = "#57606a"  # connections
ACCENT = "#0969da"  # the one path a figure is about
WARN = "#bc4c00"  # failure paths: retries, evictions, denied traffic
GROUP_BORDER = "#7d8590"  # 3.3:1 on the palest group fill, 3.7:1 on the page (tests/test_palette.py)
CARD_FILL = "#ffffff"
CARD_BORDER = "#7d8590"

ICON_PLATE = "#fefefe"  # the cell behind each icon: white in light mode, a light plate in dark mode
# Logos drawn in light marks (bright cyan, mint, pale teal) measure under 3:1 on that plate (the
# figure lint's `icon-contrast`), so they sit on a dark plate in both variants instead: the
# logo keeps its own colours, never inverted. Paths are relative to the `diagrams` icon folder.
ICON_BACKING = "#1f2328"
DARK_PLATE_ICONS = (
    "onprem/ci/github-actions.png",
    "onprem/network/linkerd.png",
    "onprem/security/trivy.png",
    "onprem/tracing/jaeger.png",
    "programming/language/go.png",
)

# Fill of a group by nesting depth; readable under black text.
GROUP_FILLS = ("#eaf2fb", "#eef6ec", "#f3effa", "#fdf6e3")

# The dark palette, by design rather than by formula (the pipeline swaps each light colour for
# its token in the dark variant). On Material's slate page (#1e2129, hsl(225deg 15% 14%)): group
# fills 1.23-1.40:1, borders 3.2-4.5:1, text 6.7-13.7:1. Icons keep a near-white plate (15.2:1 to
# the page), so brand marks keep the contrast they were drawn for and are never inverted; light
# marks keep their dark plate (`DARK_PLATE_ICONS`).
DARK = {
    INK: "#e6edf3",
    MUTED: "#9da7b3",
    ACCENT: "#4493f8",
    WARN: "#f0883e",
    GROUP_BORDER: "#7d8896",
    CARD_FILL: "#2d333b",
    ICON_PLATE: "#f6f8fa",
    ICON_BACKING: "#161b22",
    GROUP_FILLS[0]: "#22304a",
    GROUP_FILLS[1]: "#263a2e",
    GROUP_FILLS[2]: "#352c4a",
    GROUP_FILLS[3]: "#40382a",
}

# Text sizes in px at the 688 px column (the pipeline draws one SVG unit as one CSS px).
NODE_FONT = 15
EDGE_FONT = 14
GROUP_FONT = 14
ICON = 32  # icon cell, px

GRAPH_ATTR = {
    "bgcolor": "transparent",
    "fontname": FONT,
    "fontsize": str(GROUP_FONT),
    "fontcolor": INK,
    "label": "",  # the page shows the caption; no title inside the picture
    "pad": "0.15",
    "nodesep": "0.3",
    "ranksep": "0.45",
    "splines": "spline",
    "newrank": "true",
    "compound": "true",  # lets an edge end on a group's border (`into=`)
    "css_units": "px",  # the pipeline draws one unit as one CSS px: font sizes are what readers see
    "dark_palette": " ".join(f"{light}:{dark}" for light, dark in DARK.items()),
}
NODE_ATTR = {
    "fontname": FONT,
    "fontsize": str(NODE_FONT),
    "fontcolor": INK,
}
EDGE_ATTR = {
    "color": EDGE,
    "fontname": FONT,
    "fontsize": str(EDGE_FONT),
    "fontcolor": MUTED,
    "penwidth": "1.6",
    "arrowsize": "0.8",
}


def icon_plate(icon: str) -> str:
    """The plate behind an icon: dark for the light logos in `DARK_PLATE_ICONS`, else light."""
    path = icon.replace("\\", "/")
    return ICON_BACKING if any(path.endswith("/" + name) for name in DARK_PLATE_ICONS) else ICON_PLATE


def card_label(label: str, icon: str | None) -> str:
    """The HTML-like label of a node card: icon cell (if any) and up to two lines of text."""
    lines = [escape(line) for line in label.split("\n")] if label else []
    text = "<BR/>".join(lines)
    cells = ""
    if icon:
        cells += (
            f'<TD FIXEDSIZE="TRUE" WIDTH="{ICON}" HEIGHT="{ICON}" BGCOLOR="{icon_plate(icon)}">'
            f'<IMG SRC="{escape(icon)}" SCALE="TRUE"/></TD>'
        )
    if text:
        cells += f'<TD BALIGN="LEFT" ALIGN="LEFT">{text}</TD>'
    return (
        f'<<TABLE BORDER="1" STYLE="rounded" COLOR="{CARD_BORDER}" BGCOLOR="{CARD_FILL}" '
        f'CELLBORDER="0" CELLSPACING="2" CELLPADDING="3"><TR>{cells}</TR></TABLE>>'
    )


# The icon map's one negative rule, applied here so no script can break it: flowchart shapes and
# the generic laptop/server/storage pictures say nothing about the component they stand for, so
# such nodes are drawn as plain text boxes (as kubernetes.io draws its components).
GENERIC_ICONS = (
    "/programming/flowchart/",
    "/onprem/client/client.png",
    "/generic/storage/storage.png",
    "/generic/compute/rack.png",
)


def _card_attrs(label: str, attrs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Turn `diagrams`' fixed-size icon node into a card sized to its icon and label."""
    icon = attrs.pop("image", None)
    if icon and any(marker in icon.replace("\\", "/") for marker in GENERIC_ICONS):
        icon = None
    for key in ("height", "width", "imagescale", "labelloc"):
        attrs.pop(key, None)
    # `diagrams` sets fixedsize on every node by default; a card takes the size of its label.
    attrs.update(shape="plain", margin="0", fixedsize="false", width="0", height="0")
    return card_label(label, icon), attrs


class _Figure(Diagram):
    def node(self, nodeid: str, label: str, **attrs: Any) -> None:
        html, attrs = _card_attrs(label, attrs)
        self.dot.node(nodeid, label=html, **attrs)


class _Group(Cluster):
    def node(self, nodeid: str, label: str, **attrs: Any) -> None:
        html, attrs = _card_attrs(label, attrs)
        self.dot.node(nodeid, label=html, **attrs)


def box(label: str) -> Node:
    """A plain text-in-box node, for a component with no distinctive icon (as kubernetes.io draws them)."""
    return Node(label)


def figure(title: str, *, direction: str = "LR", crossings_because: str = "") -> Diagram:
    """Start a figure. `title` becomes the picture's accessible name; the caption lives in Markdown.

    The figure lint allows at most two edge crossings; a figure that needs more says why in
    `crossings_because`, where review sees it.
    """
    graph_attr = dict(GRAPH_ATTR)
    if crossings_because:
        graph_attr["crossings_because"] = crossings_because
    return _Figure(
        title,
        show=False,
        direction=direction,
        graph_attr=graph_attr,
        node_attr=dict(NODE_ATTR),
        edge_attr=dict(EDGE_ATTR),
    )


def group(label: str, *, direction: str = "LR", dashed: bool = False, title_below: bool = False) -> Cluster:
    """A labelled box around related nodes (a pod, a node, a namespace, a cluster).

    `title_below` puts the title at the bottom, out of the way of edges that enter from above.
    """
    parent = getcluster()
    depth = parent.depth + 1 if parent is not None else 0
    return _Group(
        label,
        direction=direction,
        graph_attr={
            "bgcolor": GROUP_FILLS[depth % len(GROUP_FILLS)],
            "pencolor": GROUP_BORDER,
            "penwidth": "1.2",
            "style": "rounded,dashed" if dashed else "rounded",
            "fontname": FONT,
            "fontsize": str(GROUP_FONT),
            "fontcolor": INK,
            "margin": "10",
            "labelloc": "b" if title_below else "t",
        },
    )


# The edge vocabulary: each kind has one fixed style, and a figure that uses more than one
# gets a legend (the pipeline reads the `class` attribute).
EDGE_KINDS = {
    "request": {"color": EDGE, "style": "solid"},
    "main": {"color": ACCENT, "style": "solid", "penwidth": "2.2"},
    "control": {"color": EDGE, "style": "dashed"},
    "reference": {"color": EDGE, "style": "dotted", "arrowhead": "empty", "arrowtail": "empty"},
    "failure": {"color": WARN, "style": "solid", "arrowhead": "tee", "arrowtail": "tee"},
}


def _roomy(label: str) -> str:
    """The label with a no-break space on each side of every line.

    Graphviz sets an edge label exactly as wide as its text and does not keep a group's margin
    around it, so labels ended up 0.5-2.7 px from group borders or beside another label (the
    lint's `label-room`). The spaces have no ink but are laid out and kept by browsers: they give
    every label room. The lint measures the ink, not the spaces.
    """
    return "\n".join(f"\u00a0{line}\u00a0" for line in label.split("\n")) if label else ""


def _edge(kind: str, label: str, into: Cluster | None, out_of: Cluster | None) -> Edge:
    attrs: dict[str, Any] = dict(EDGE_KINDS[kind])
    attrs["class"] = kind
    if into is not None:
        attrs["lhead"] = into.name
    if out_of is not None:
        attrs["ltail"] = out_of.name
    return Edge(label=_roomy(label), fontcolor=MUTED, fontname=FONT, fontsize=str(EDGE_FONT), **attrs)


def request(label: str = "", *, into: Cluster | None = None, out_of: Cluster | None = None) -> Edge:
    """A call or data flow: who sends what to whom."""
    return _edge("request", label, into, out_of)


def main_path(label: str = "", *, into: Cluster | None = None, out_of: Cluster | None = None) -> Edge:
    """The one path the figure is about (accent colour, heavier line)."""
    return _edge("main", label, into, out_of)


def control(label: str = "", *, into: Cluster | None = None, out_of: Cluster | None = None) -> Edge:
    """Configuration or control: a watch, a push of config, a status report (dashed)."""
    return _edge("control", label, into, out_of)


def reference(label: str = "", *, into: Cluster | None = None, out_of: Cluster | None = None) -> Edge:
    """One object naming another (dotted, open head pointing at the thing named)."""
    return _edge("reference", label, into, out_of)


def failure(label: str = "", *, into: Cluster | None = None, out_of: Cluster | None = None) -> Edge:
    """A path that fails or is refused: ends in a bar, short of its target."""
    return _edge("failure", label, into, out_of)


def flow(
    label: str = "",
    *,
    accent: bool = False,
    warn: bool = False,
    dashed: bool = False,
    into: Cluster | None = None,
    out_of: Cluster | None = None,
) -> Edge:
    """A connection in the older flag vocabulary: `accent` is `main_path`, `warn` is `failure`,
    `dashed` is `control`, otherwise `request`. Prefer the named helpers."""
    kind = "failure" if warn else "main" if accent else "control" if dashed else "request"
    return _edge(kind, label, into, out_of)


def stacked(*nodes: Node) -> None:
    """Draw the nodes as a stack, each one below the previous, joined by no visible line.

    For layers (overlayfs, runtime stacks): they are bands on top of each other, not a chain of
    calls, so the ordering edges are invisible and stay out of the figure's text description.
    """
    diagram = getdiagram()
    for upper, lower in itertools.pairwise(nodes):
        diagram.dot.edge(upper.nodeid, lower.nodeid, style="invis")


def same_row(edge: Edge) -> Edge:
    """Let a connection stay within one row (minlen 0) instead of adding a row to the figure."""
    edge._attrs["minlen"] = "0"
    return edge


def loop_back(edge: Edge) -> Edge:
    """A connection that closes a loop: it does not decide which row its ends sit in."""
    edge._attrs["constraint"] = "false"
    return edge
