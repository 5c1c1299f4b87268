"""Plane geometry for the figure lint: boxes, polylines from SVG paths, text boxes from font metrics.

Graphviz writes every shape as cubic Bézier paths or polygons in the SVG's user units; the lint
samples curves into short segments, which is exact enough at the few-pixel tolerances it checks.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

Point = tuple[float, float]
Segment = tuple[Point, Point]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_SAMPLES = 12  # segments per cubic curve


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle, x0 <= x1 and y0 <= y1 (SVG y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def around(cls, points: list[Point]) -> Box:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return cls(min(xs), min(ys), max(xs), max(ys))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def shrink(self, by: float) -> Box:
        return Box(self.x0 + by, self.y0 + by, self.x1 - by, self.y1 - by)

    def distance(self, p: Point) -> float:
        """0 inside the box, else the distance to its nearest edge."""
        dx = max(self.x0 - p[0], 0.0, p[0] - self.x1)
        dy = max(self.y0 - p[1], 0.0, p[1] - self.y1)
        return math.hypot(dx, dy)

    def outline_distance(self, p: Point) -> float:
        """The distance to the rectangle's outline, inside or outside."""
        if self.distance(p) > 0:
            return self.distance(p)
        return min(p[0] - self.x0, self.x1 - p[0], p[1] - self.y0, self.y1 - p[1])

    def overlap(self, other: Box) -> float:
        """Area shared with `other` (0 when they only touch)."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def contains(self, other: Box, slack: float = 0.0) -> bool:
        return (
            other.x0 >= self.x0 - slack
            and other.y0 >= self.y0 - slack
            and other.x1 <= self.x1 + slack
            and other.y1 <= self.y1 + slack
        )

    def crosses_segment(self, seg: Segment) -> bool:
        """True when the segment enters the box's interior (Liang-Barsky clipping)."""
        (x0, y0), (x1, y1) = seg
        dx, dy = x1 - x0, y1 - y0
        t0, t1 = 0.0, 1.0
        for p, q in ((-dx, x0 - self.x0), (dx, self.x1 - x0), (-dy, y0 - self.y0), (dy, self.y1 - y0)):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return t1 - t0 > 1e-9


def numbers(text: str) -> list[float]:
    """Every number in an SVG attribute (coordinates, sizes), in order."""
    return [float(n) for n in _NUMBER.findall(text)]


def path_points(d: str) -> list[Point]:
    """A Graphviz path (`M x,y C x,y x,y x,y ...`) sampled into a polyline."""
    values = numbers(d)
    pts = list(zip(values[0::2], values[1::2], strict=False))
    if not pts:
        return []
    if "C" not in d:
        return pts
    out = [pts[0]]
    for i in range(1, len(pts) - 2, 3):
        p0, p1, p2, p3 = out[-1], pts[i], pts[i + 1], pts[i + 2]
        for step in range(1, _SAMPLES + 1):
            t = step / _SAMPLES
            u = 1 - t
            out.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
                )
            )
        out[-1] = p3
    return out


def polygon_points(points: str) -> list[Point]:
    """The corners of an SVG `points` attribute."""
    values = numbers(points)
    return list(zip(values[0::2], values[1::2], strict=False))


def segments(points: list[Point]) -> list[Segment]:
    """The straight pieces between consecutive points of a polyline."""
    return list(itertools.pairwise(points))


def segment_intersection(a: Segment, b: Segment) -> Point | None:
    """Where two segments cross, or None (parallel or apart)."""
    (x1, y1), (x2, y2) = a
    (x3, y3), (x4, y4) = b
    den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    if abs(den) < 1e-12:
        return None
    t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
    u = -((x1 - x2) * (y1 - y3) - (y1 - y2) * (x1 - x3)) / den
    if 0 <= t <= 1 and 0 <= u <= 1:
        return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))
    return None


def distance(a: Point, b: Point) -> float:
    """Euclidean distance between two points."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


@functools.lru_cache(maxsize=8)
def _font(size_tenths: int) -> FreeTypeFont | None:
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size_tenths / 10)
        except OSError:
            continue
    return None


def text_width(text: str, size: float) -> float:
    """The advance width of `text` in DejaVu Sans (the house font Graphviz lays out with)."""
    font = _font(round(size * 10))
    if font is None:  # no TrueType file: DejaVu Sans averages about 0.6 em per character
        return 0.6 * size * len(text)
    return float(font.getlength(text))


def text_box(text: str, x: float, y: float, size: float, anchor: str) -> Box:
    """The box a line of SVG text covers: from cap height above the baseline to the descenders."""
    width = text_width(text, size)
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return Box(left, y - 0.76 * size, left + width, y + 0.22 * size)
