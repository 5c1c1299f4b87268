"""Reading the edges of the DOT source a figure script produced: the one parser the lint rules share."""

from __future__ import annotations

import re

_ID = r'(?:"(?:[^"\\]|\\.)*"|[\w.]+)'
_EDGE = re.compile(rf'({_ID})(?::{_ID})?\s*->\s*({_ID})(?::{_ID})?\s*(?:\[((?:[^\]"]|"(?:[^"\\]|\\.)*")*)\])?')
_ATTR = re.compile(r'(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,\]]+)')


def unquote(value: str) -> str:
    """A DOT ID or attribute value without its quotes."""
    return value[1:-1].replace('\\"', '"') if value.startswith('"') else value


def edges(dot_source: str) -> list[tuple[str, str, dict[str, str]]]:
    """Every edge as (tail, head, attributes), in source order; ports are dropped."""
    return [
        (unquote(m.group(1)), unquote(m.group(2)), {k: unquote(v) for k, v in _ATTR.findall(m.group(3) or "")})
        for m in _EDGE.finditer(dot_source)
    ]
