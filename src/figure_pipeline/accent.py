"""The `one-accent-path` rule: a figure's accent edges (`main_path`) form at most one path.

The accent colour marks the one path a figure is about, so a reader can follow it from start to
end. The rule reads the DOT source, where the house style tags each edge with its kind
(`class=main`), and takes each accent edge in the direction its arrow points (`dir=back`
reverses it). The accent edges form one path when a reader can follow all of them in one
stroke, along their arrows, using each edge once (a directed trail):

- they are connected: every accent edge shares a node with another one (two separate accent
  chains are two paths);
- at most one node has one more accent edge leaving it than arriving (where the path starts)
  and at most one has one more arriving than leaving (where it ends); every other node has as
  many leaving as arriving. A fork (two edges leaving a node the path does not return to) or a
  merge breaks this.

A path may pass a node twice, as a request does going into a sidecar proxy and out again; a
chain that returns to where it started (a loop) is one path; a figure with no accent edge
passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import dot

RULE = "one-accent-path"
FIX = (
    "mark only the one path the figure is about with `main_path`, drawn as one chain; draw the other "
    "connections as `request` (or `control`), or split the figure in two"
)


@dataclass(frozen=True)
class Hop:
    """One accent edge, from where it starts to where its arrow points."""

    start: str
    end: str
    label: str


def accent_hops(dot_source: str) -> list[Hop]:
    """Every edge of kind `main` in the DOT source, in the direction of its arrow."""
    hops = []
    for tail, head, attrs in dot.edges(dot_source):
        if "main" not in attrs.get("class", "").split():
            continue
        if attrs.get("dir") == "back":
            tail, head = head, tail
        hops.append(Hop(tail, head, attrs.get("label", "")))
    return hops


def _components(hops: list[Hop]) -> list[list[Hop]]:
    """The accent edges grouped by connection (shared nodes), in order of first appearance."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for hop in hops:
        parent[root(hop.start)] = root(hop.end)
    groups: dict[str, list[Hop]] = {}
    for hop in hops:
        groups.setdefault(root(hop.start), []).append(hop)
    return list(groups.values())


def problems(dot_source: str, labels: dict[str, str]) -> list[tuple[str, str]]:
    """(elements, detail) for each way the accent edges fail to be one path."""
    hops = accent_hops(dot_source)

    def name(node: str) -> str:
        return "'" + labels.get(node, node).replace("\n", " ") + "'"

    def edge(hop: Hop) -> str:
        return f"{name(hop.start)} -> {name(hop.end)}"

    parts = _components(hops)
    if len(parts) > 1:
        chains = "; ".join(", ".join(edge(h) for h in part) for part in parts)
        return [(f"accent edges {chains}", f"form {len(parts)} separate paths (at most one)")]
    leaving: dict[str, int] = {}
    arriving: dict[str, int] = {}
    for hop in hops:
        leaving[hop.start] = leaving.get(hop.start, 0) + 1
        arriving[hop.end] = arriving.get(hop.end, 0) + 1
    nodes = list(dict.fromkeys(n for hop in hops for n in (hop.start, hop.end)))
    balance = {n: leaving.get(n, 0) - arriving.get(n, 0) for n in nodes}
    if sum(b for b in balance.values() if b > 0) <= 1:
        return []
    starts = ", ".join(name(n) for n in nodes if balance[n] > 0)
    ends = ", ".join(name(n) for n in nodes if balance[n] < 0)
    detail = f"they start at {starts} and end at {ends}, so they are not one path"
    out: list[tuple[str, str]] = []
    for node in nodes:
        gone, came = leaving.get(node, 0), arriving.get(node, 0)
        if balance[node] != 0 and max(gone, came) > 1:
            verb = "fork" if balance[node] > 0 else "merge"
            counts = f"{gone} {'leaves' if gone == 1 else 'leave'} it, {came} {'arrives' if came == 1 else 'arrive'}"
            out.append((f"node {name(node)}", f"the accent edges {verb} there ({counts}); {detail}"))
    if not out:  # paths that cross at a node each passes once: no fork or merge to name
        out.append((f"accent edges {', '.join(edge(h) for h in hops)}", detail))
    return out
