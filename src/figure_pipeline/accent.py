"""The `one-accent-path` rule: a figure's accent edges (`main_path`) form at most one path.

The accent colour marks the one path a figure is about, so a reader can follow it from start to
end. The rule reads the DOT source, where the house style tags each edge with its kind
(`class=main`), and takes each accent edge in the direction its arrow points (`dir=back`
reverses it). The accent edges form one path when:

- they are connected: every accent edge shares a node with another one (two separate accent
  chains are two paths);
- no node has two accent edges leaving it (a fork) or two arriving at it (a merge).

A chain that returns to where it started (a loop) is one path; a figure with no accent edge
passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RULE = "one-accent-path"
FIX = (
    "mark only the one path the figure is about with `main_path`, drawn as one chain; draw the other "
    "connections as `request` (or `control`), or split the figure in two"
)

_ID = r'(?:"(?:[^"\\]|\\.)*"|[\w.]+)'
_EDGE = re.compile(rf'({_ID})(?::{_ID})?\s*->\s*({_ID})(?::{_ID})?\s*(?:\[((?:[^\]"]|"(?:[^"\\]|\\.)*")*)\])?')
_ATTR = re.compile(r'(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,\]]+)')


@dataclass(frozen=True)
class Hop:
    """One accent edge, from where it starts to where its arrow points."""

    start: str
    end: str
    label: str


def _unquote(value: str) -> str:
    return value[1:-1].replace('\\"', '"') if value.startswith('"') else value


def accent_hops(dot_source: str) -> list[Hop]:
    """Every edge of kind `main` in the DOT source, in the direction of its arrow."""
    hops = []
    for match in _EDGE.finditer(dot_source):
        attrs = {key: _unquote(value) for key, value in _ATTR.findall(match.group(3) or "")}
        if "main" not in attrs.get("class", "").split():
            continue
        tail, head = _unquote(match.group(1)), _unquote(match.group(2))
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

    out: list[tuple[str, str]] = []
    parts = _components(hops)
    if len(parts) > 1:
        chains = "; ".join(", ".join(edge(h) for h in part) for part in parts)
        out.append((f"accent edges {chains}", f"form {len(parts)} separate paths (at most one)"))
    for attr, verb in (("start", "leave"), ("end", "arrive at")):
        seen: dict[str, list[Hop]] = {}
        for hop in hops:
            seen.setdefault(getattr(hop, attr), []).append(hop)
        for node, many in seen.items():
            if len(many) > 1:
                out.append(
                    (
                        f"node {name(node)}",
                        f"{len(many)} accent edges {verb} it ({', '.join(edge(h) for h in many)}): "
                        f"the path {'forks' if attr == 'start' else 'merges'} there",
                    )
                )
    return out
