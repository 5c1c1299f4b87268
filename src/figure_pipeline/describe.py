"""Derive a figure's text alternative from the graph the script drew.

The description lists the groups with their members and every connection with its label, so a
reader who cannot see the picture gets the same facts, and site search indexes every label.
"""

from __future__ import annotations

from typing import Any

_ARROWS = {"forward": "→", "back": "←", "both": "↔", "none": "—"}


def flatten_label(label: str) -> str:
    """A multi-line label as one line: lines joined by spaces, except after a hyphen break."""
    lines = [line.strip() for line in str(label).splitlines() if line.strip()]
    text = ""
    for line in lines:
        text += line if not text or text.endswith("-") else " " + line
    return " ".join(text.split())


def _label(node: dict[str, Any]) -> str:
    return flatten_label(node["label"]) or node["kind"]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _group_key(group: dict[str, Any]) -> object:
    """What identifies a group: its id; in a model recorded without ids, its label path."""
    return group["id"] if group.get("id") else (*group["parents"], group["label"])


def _parent_key(group: dict[str, Any]) -> object:
    return group["parent"] if group.get("id") else tuple(group["parents"])


def _node_group_key(node: dict[str, Any]) -> object:
    return node["group"] if "group" in node else tuple(node["groups"])


def describe(model: dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready description: a one-line summary, groups with members, and connections.

    Members are matched to groups by group id, so two sibling groups with the same label (two
    "pod" boxes) each list only their own members.
    """
    nodes = {n["id"]: n for n in model["nodes"]}
    groups = []
    for group in model["groups"]:
        key = _group_key(group)
        members = [_label(n) for n in model["nodes"] if _node_group_key(n) == key]
        inner = [g["label"] for g in model["groups"] if _parent_key(g) == key]
        groups.append(
            {
                "label": group["label"],
                "within": group["parents"][-1] if group["parents"] else "",
                "members": members,
                "groups": inner,
            }
        )
    ungrouped = [_label(n) for n in model["nodes"] if not n["groups"]]
    connections = []
    for edge in model["edges"]:
        tail, head = _label(nodes[edge["tail"]]), _label(nodes[edge["head"]])
        arrow = _ARROWS.get(edge["direction"], "—")
        label = flatten_label(edge["label"])
        connections.append(f"{tail} {arrow} {head}" + (f": {label}" if label else ""))
    summary = (
        f"{model['title']}: {_count(len(nodes), 'component')}"
        + (f" in {_count(len(groups), 'group')}" if groups else "")
        + (f", {_count(len(connections), 'connection')}" if connections else "")
        + "."
    )
    return {"summary": summary, "groups": groups, "ungrouped": ungrouped, "connections": connections}
