"""House style shared by every Nutshell figure.

Figure scripts import this module instead of configuring `diagrams` themselves, so every
picture on the site has the same fonts, spacing and colours. The light colours below are the
source of truth; the pipeline derives the dark-mode variant of each figure from them.

Typical use in a script::

    from diagrams.k8s.compute import Pod
    from house_style import figure, flow, group

    with figure("Pod with a sidecar"):
        with group("pod"):
            app = Pod("app")
        ...

Keep this module free of figure content: it is part of every figure's cache key, so any edit
here re-renders every figure.
"""

from __future__ import annotations

from diagrams import Cluster, Diagram, Edge, getcluster

# Text stays text in the SVG: these families exist (or have a close metric match) on Linux,
# macOS and Windows, so the browser's text width matches the width Graphviz laid out.
FONT = "DejaVu Sans,Verdana,sans-serif"

INK = "#24292f"  # labels and titles
EDGE = "#57606a"  # connections
ACCENT = "#0969da"  # the one connection a figure is about
WARN = "#bc4c00"  # failure paths: retries, evictions, denied traffic
GROUP_BORDER = "#8c959f"

# Fill of a group by nesting depth; readable under black text and inverted for dark mode.
GROUP_FILLS = ("#eaf2fb", "#eef6ec", "#f3effa", "#fdf6e3")

GRAPH_ATTR = {
    "bgcolor": "transparent",
    "fontname": FONT,
    "fontsize": "16",
    "fontcolor": INK,
    "label": "",  # the page shows the caption; no title inside the picture
    "pad": "0.2",
    "nodesep": "0.45",
    "ranksep": "0.55",
    "splines": "spline",
    "newrank": "true",
}
NODE_ATTR = {
    "fontname": FONT,
    "fontsize": "15",
    "fontcolor": INK,
    "width": "0.9",
    "height": "0.9",
}
EDGE_ATTR = {
    "color": EDGE,
    "fontname": FONT,
    "fontsize": "14",
    "fontcolor": INK,
    "penwidth": "1.6",
    "arrowsize": "0.8",
}


def figure(title: str, *, direction: str = "LR") -> Diagram:
    """Start a figure. `title` becomes the picture's accessible name; the caption lives in Markdown."""
    return Diagram(
        title,
        show=False,
        direction=direction,
        graph_attr=dict(GRAPH_ATTR),
        node_attr=dict(NODE_ATTR),
        edge_attr=dict(EDGE_ATTR),
    )


def group(label: str, *, direction: str = "LR", dashed: bool = False) -> Cluster:
    """A labelled box around related nodes (a pod, a node, a namespace, a cluster)."""
    parent = getcluster()
    depth = parent.depth + 1 if parent is not None else 0
    return Cluster(
        label,
        direction=direction,
        graph_attr={
            "bgcolor": GROUP_FILLS[depth % len(GROUP_FILLS)],
            "pencolor": GROUP_BORDER,
            "penwidth": "1.2",
            "style": "rounded,dashed" if dashed else "rounded",
            "fontname": FONT,
            "fontsize": "15",
            "fontcolor": INK,
            "margin": "10",
        },
    )


def flow(label: str = "", *, accent: bool = False, warn: bool = False, dashed: bool = False) -> Edge:
    """A connection; `accent` marks the main path, `warn` a failure path, `dashed` an optional one."""
    color = WARN if warn else ACCENT if accent else EDGE
    return Edge(
        label=label,
        color=color,
        style="dashed" if dashed else "solid",
        fontcolor=INK,
        fontname=FONT,
        fontsize="14",
    )


def same_row(edge: Edge) -> Edge:
    """Let a connection stay within one row (minlen 0) instead of adding a row to the figure."""
    edge._attrs["minlen"] = "0"
    return edge


def loop_back(edge: Edge) -> Edge:
    """A connection that closes a loop: it does not decide which row its ends sit in."""
    edge._attrs["constraint"] = "false"
    return edge
