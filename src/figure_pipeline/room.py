"""The figure lint's `label-room` rule: every piece of text has room around it.

Two texts that do not overprint can still read wrong. Labels of different elements on one
baseline a few pixels apart read as one phrase ("24h certificate" + "injects proxy"); stacked
at line spacing they read as one two-line label. An edge label or group title that nearly
touches a group border or a node card looks squeezed and seems to belong to that box.

Gaps are measured between the text boxes the rest of the lint uses (`geometry.text_box`: cap
height to descenders, advance width in DejaVu Sans) and the drawn outlines of groups and node
cards, in CSS px as shown in the 688 px column:

- text of two different elements (node label, edge label, group title) fails when it is less
  than `MIN_TEXT_GAP_X` px apart side by side on one line, or less than `MIN_TEXT_GAP_Y` px
  apart one above the other (where their boxes overlap horizontally);
- an edge label or group title fails when it is less than `MIN_BORDER_GAP` px from a group
  border or a node card it does not belong to (a group's own title sits inside its border by
  the group margin and is not measured against it).

Text that already overprints other text, or already straddles a border, is `text-overlap` or
`label-crosses-group`: this rule does not report it twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

from .geometry import Box

RULE = "label-room"
# One em at the edge-label size (14 px): three word spaces of DejaVu Sans (0.32 em each) plus
# a little. Words of one phrase sit one space (4.5 px) apart; at 8 px two labels still read as
# one phrase, at an em they read as two.
MIN_TEXT_GAP_X = 14.0
# The lines of one label sit about 3 px apart (1.2 em line pitch minus the 0.98 em text box).
# Another element's text stacked less than twice that below reads as more lines of the same
# label ("SVID sa/frontend" over "mTLS, both verify" at 5.3 px).
MIN_TEXT_GAP_Y = 6.0
# A group border or card outline closer than this reads as touching the text (the border's own
# stroke is 1.2 px wide).
MIN_BORDER_GAP = 3.0
FIX = (
    "move or shorten one of the labels (or say it in the caption), or draw the two ends in one row "
    "(`same_row`) or in separate rows, so the label sits in the open: not beside another label, not "
    "squeezed against a group border or a card"
)


@dataclass(frozen=True)
class Item:
    """Something drawn that the rule measures: a line of text or an outline.

    `element` identifies what it is part of (a node, an edge, a group): lines of one element
    are never measured against each other, and a group's title not against its own border.
    """

    element: str
    name: str  # how a message names the element: "node 'kubelet'", "group 'pod'"
    box: Box
    text: str = ""  # the line of text, for text; empty for an outline


def _apart(a: Box, b: Box) -> tuple[float, float]:
    """The horizontal and vertical clearance between two boxes (0 where they overlap on that axis)."""
    dx = max(b.x0 - a.x1, a.x0 - b.x1, 0.0)
    dy = max(b.y0 - a.y1, a.y0 - b.y1, 0.0)
    return dx, dy


def text_gaps(texts: list[Item], scale: float) -> list[tuple[str, str]]:
    """(elements, detail) for each pair of texts of different elements set too close together."""
    out = []
    for a, b in combinations(texts, 2):
        if a.element == b.element:
            continue
        # Rounded as reported: a gap shown as 14.0 px passes a 14 px minimum.
        dx, dy = (round(d * scale, 1) for d in _apart(a.box, b.box))
        if dx == 0 and dy == 0:
            continue  # they overprint: text-overlap reports it
        if dy == 0 and dx < MIN_TEXT_GAP_X:
            detail = f"share a line {dx:.1f} px apart (at least {MIN_TEXT_GAP_X:.0f} px), so they read as one phrase"
        elif dx == 0 and dy < MIN_TEXT_GAP_Y:
            detail = f"are stacked {dy:.1f} px apart (at least {MIN_TEXT_GAP_Y:.0f} px), so they read as one label"
        elif 0 < dx < MIN_TEXT_GAP_X and 0 < dy < MIN_TEXT_GAP_Y:
            detail = f"sit {dx:.1f} px apart side by side and {dy:.1f} px apart vertically, so they run together"
        else:
            continue
        out.append((f"'{a.text}' ({a.name}) and '{b.text}' ({b.name})", detail))
    return out


def _border_distance(text: Box, frame: Box) -> float | None:
    """How far `text` is from the outline of `frame`, inside or outside; None if it straddles it."""
    if frame.contains(text):
        return min(text.x0 - frame.x0, frame.x1 - text.x1, text.y0 - frame.y0, frame.y1 - text.y1)
    dx, dy = _apart(text, frame)
    if dx == 0 and dy == 0:
        return None  # it crosses the outline: label-crosses-group (a group) or text-overlap (a card's text)
    return math.hypot(dx, dy)


def border_gaps(labels: list[Item], frames: list[Item], scale: float) -> list[tuple[str, str]]:
    """(elements, detail) for each edge label or group title too close to an outline not its own."""
    out = []
    for label in labels:
        for frame in frames:
            if label.element == frame.element:
                continue
            gap = _border_distance(label.box, frame.box)
            if gap is None or round(gap * scale, 1) >= MIN_BORDER_GAP:
                continue
            out.append(
                (
                    f"'{label.text}' ({label.name})",
                    f"is {gap * scale:.1f} px from the border of {frame.name} (at least {MIN_BORDER_GAP:.0f} px)",
                )
            )
    return out
