"""The `icon-contrast` rule: every icon stands out from the fill it is drawn on, in both variants.

It reads the finished light and dark SVGs (icons embedded once as PNG `data:` URIs and placed
with `<use>`), so it measures exactly the raster and the colours a reader sees. For each placed
icon, in each variant:

1. The fill under it is the last filled shape drawn before the icon whose box holds the icon's
   box (the house style's icon cell, else the card, the group), or else the page (`PAGE`).
2. Each pixel of the embedded raster is composited over that fill in sRGB, as a browser does
   (the dark variant's `lift` filter, if the icon carries it, is applied first).
3. Its contrast against the fill is the WCAG 2 ratio (L1 + 0.05) / (L2 + 0.05) of relative
   luminances, L = 0.2126 R + 0.7152 G + 0.0722 B over linearised sRGB channels.
4. Its ink is every pixel at least `INK_MIN` (1.1:1) apart from the fill, weighted by its alpha:
   pixels a reader cannot tell from the fill (an opaque white square on a white plate, a faint
   fringe) are not part of the mark.
5. The icon's ratio is the contrast that at least `SHARE` (one third) of its ink weight reaches
   (a weighted quantile). It must be at least `MIN_RATIO` (3:1, what WCAG 1.4.11 asks of the
   graphics needed to understand a picture). An icon with no ink at all measures 1:1.

So a logo passes when a third of its mark reaches 3:1, such as a dark outline around a light
fill, and fails when most of it is a faint pastel on the plate under it.

Sources: relative luminance and contrast ratio, https://www.w3.org/TR/WCAG22/#dfn-relative-luminance
(the 0.04045 threshold of WCAG 2.2); non-text contrast, https://www.w3.org/TR/WCAG22/#non-text-contrast.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

RULE = "icon-contrast"
MIN_RATIO = 3.0
SHARE = 1 / 3
INK_MIN = 1.1
# The page behind a figure: white, and Material's slate, hsl(225deg 15% 14%).
PAGE = {"light": "#ffffff", "dark": "#1e2129"}
FIX = (
    "back the icon with a plate it reaches 3:1 on: list it in `DARK_PLATE_ICONS` in house_style.py "
    "(light marks on a dark plate, in both variants), or ship a project icon drawn for the plate; "
    "never invert a logo"
)

_S = "{http://www.w3.org/2000/svg}"
_NAMED = {"white": "#ffffff", "black": "#000000"}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHAPES = {f"{_S}{tag}" for tag in ("polygon", "path", "rect", "ellipse", "circle")}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class IconContrast:
    """One placed icon's measured ratio against the fill under it, per variant."""

    node: str
    icon: str  # the `<defs>` image id
    light: float
    dark: float
    light_fill: str
    dark_fill: str


def _luminance_table() -> list[float]:
    """WCAG linearisation of each 8-bit sRGB level."""
    out = []
    for level in range(256):
        c = level / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out


_LINEAR = _luminance_table()


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an 8-bit sRGB colour."""
    r, g, b = rgb
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def ratio(a: float, b: float) -> float:
    """WCAG contrast ratio of two relative luminances."""
    high, low = max(a, b), min(a, b)
    return (high + 0.05) / (low + 0.05)


def _rgb(color: str) -> tuple[int, int, int] | None:
    color = _NAMED.get(color.lower(), color)
    if not _HEX.match(color):
        return None
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _lift(r: int, g: int, b: int) -> tuple[int, int, int]:
    """The dark variant's `lift` filter: invert, then `hueRotate` 180 (the SVG matrix)."""
    r, g, b = 255 - r, 255 - g, 255 - b
    m = (
        (-0.574, 1.43, 0.144),
        (0.426, 0.43, 0.144),
        (0.426, 1.43, -0.856),
    )
    out = [max(0, min(255, round(row[0] * r + row[1] * g + row[2] * b))) for row in m]
    return out[0], out[1], out[2]


def icon_ratio(png: bytes, fill: tuple[int, int, int], *, lifted: bool = False) -> float:
    """The contrast that `SHARE` of the icon's ink weight reaches against `fill` (module docstring)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(png)) as image:
            rgba = image.convert("RGBA")
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError(f"an embedded icon cannot be decoded: {exc}") from exc
    # Each distinct colour once, with its pixel count: embedded icons hold at most 256 colours.
    colors = rgba.getcolors(rgba.width * rgba.height) or []
    fill_lum = luminance(fill)
    weights: dict[float, float] = {}
    for count, color in colors:
        if not isinstance(color, tuple) or color[3] == 0:  # an RGBA image reports tuples
            continue
        r, g, b, alpha = color
        if lifted:
            r, g, b = _lift(r, g, b)
        a = alpha / 255
        mixed = (round(a * r + (1 - a) * fill[0]), round(a * g + (1 - a) * fill[1]), round(a * b + (1 - a) * fill[2]))
        contrast = ratio(luminance(mixed), fill_lum)
        if contrast >= INK_MIN:
            key = round(contrast, 2)
            weights[key] = weights.get(key, 0.0) + count * a
    total = sum(weights.values())
    if total == 0:
        return 1.0
    reached = 0.0
    for contrast in sorted(weights, reverse=True):
        reached += weights[contrast]
        if reached >= SHARE * total - 1e-9:
            return contrast
    return 1.0  # pragma: no cover - the loop always reaches the share


def _box(el: ET.Element) -> tuple[float, float, float, float] | None:
    tag = el.tag
    if tag == f"{_S}rect":
        x, y = float(el.get("x", 0)), float(el.get("y", 0))
        return x, y, x + float(el.get("width", 0)), y + float(el.get("height", 0))
    if tag in (f"{_S}ellipse", f"{_S}circle"):
        cx, cy = float(el.get("cx", 0)), float(el.get("cy", 0))
        rx, ry = float(el.get("rx", el.get("r", 0))), float(el.get("ry", el.get("r", 0)))
        return cx - rx, cy - ry, cx + rx, cy + ry
    values = [float(n) for n in _NUMBER.findall(el.get("points") or el.get("d") or "")]
    if len(values) < 4:
        return None
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _size(value: str | None) -> float:
    return float(re.sub(r"[a-z%]+$", "", value or "0") or 0)


@dataclass
class _Placed:
    node: str
    icon: str
    fill: str


def _label(groups: list[ET.Element]) -> str:
    """The text of the innermost group around an icon that has any: its node's name."""
    for group in reversed(groups):
        words = [(t.text or "").strip() for t in group.iter(f"{_S}text")]
        if any(words):
            return " ".join(w for w in words if w)
    return "(no label)"


def _placements(root: ET.Element, page: str) -> list[_Placed]:
    """Each `<use>` of an icon, in document order, with the fill drawn under it and its node's label."""
    sizes = {
        el.get("id", ""): (_size(el.get("width")), _size(el.get("height")))
        for el in root.iter(f"{_S}image")
        if el.get("id")
    }
    placed: list[_Placed] = []
    fills: list[tuple[tuple[float, float, float, float], str]] = []

    def walk(el: ET.Element, groups: list[ET.Element]) -> None:
        for child in el:
            if child.tag == f"{_S}defs":
                continue
            if child.tag == f"{_S}g":
                walk(child, [*groups, child])
            elif child.tag in _SHAPES:
                fill = child.get("fill", "black")
                box = _box(child)
                if box is not None and _rgb(fill) is not None:
                    fills.append((box, fill))
            elif child.tag == f"{_S}use":
                icon = (child.get("href") or child.get("{http://www.w3.org/1999/xlink}href") or "").lstrip("#")
                w, h = sizes.get(icon, (0.0, 0.0))
                x, y = _size(child.get("x")), _size(child.get("y"))
                under = page
                for (x0, y0, x1, y1), fill in reversed(fills):
                    if x0 - 1 <= x and y0 - 1 <= y and x + w <= x1 + 1 and y + h <= y1 + 1:
                        under = fill
                        break
                placed.append(_Placed(_label(groups), icon, under))

    walk(root, [])
    return placed


def _rasters(root: ET.Element) -> dict[str, tuple[bytes, bool]]:
    out = {}
    for el in root.iter(f"{_S}image"):
        href = el.get("href") or el.get("{http://www.w3.org/1999/xlink}href") or ""
        if not href.startswith("data:image/png;base64,"):
            continue
        try:
            data = base64.b64decode(href.split(",", 1)[1], validate=True)
        except (binascii.Error, ValueError):
            continue
        out[el.get("id", "")] = (data, el.get("filter") == "url(#lift)" or el.get("class") == "dark-ink")
    return out


def measure(light_svg: str, dark_svg: str) -> list[IconContrast]:
    """Every placed icon's ratio in both variants (the two SVGs have the same structure)."""
    light_root, dark_root = ET.fromstring(light_svg), ET.fromstring(dark_svg)
    light_icons, dark_icons = _rasters(light_root), _rasters(dark_root)
    light_placed = _placements(light_root, PAGE["light"])
    dark_placed = _placements(dark_root, PAGE["dark"])
    ratios: dict[tuple[str, str, bool], float] = {}

    def measured(icon: str, fill: str, variant_icons: dict[str, tuple[bytes, bool]], dark: bool) -> float:
        if icon not in variant_icons:
            return MIN_RATIO  # not a raster this rule can read (the sanitizer allows only PNG data)
        png, lifted = variant_icons[icon]
        key = (icon, fill.lower(), dark)
        if key not in ratios:
            color = _rgb(fill)
            ratios[key] = icon_ratio(png, color, lifted=lifted and dark) if color else MIN_RATIO
        return ratios[key]

    out = []
    for lp, dp in zip(light_placed, dark_placed, strict=False):
        out.append(
            IconContrast(
                node=lp.node,
                icon=lp.icon,
                light=round(measured(lp.icon, lp.fill, light_icons, False), 2),
                dark=round(measured(dp.icon, dp.fill, dark_icons, True), 2),
                light_fill=lp.fill.lower(),
                dark_fill=dp.fill.lower(),
            )
        )
    return out


def problems(found: list[IconContrast]) -> list[tuple[str, str]]:
    """(elements, detail) for each node whose icon is under `MIN_RATIO` in a variant, once per node."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in found:
        low = [
            f"{value:.2f}:1 against {fill} in the {variant} variant"
            for variant, value, fill in (("light", item.light, item.light_fill), ("dark", item.dark, item.dark_fill))
            if value < MIN_RATIO
        ]
        if not low or item.node in seen:
            continue
        seen.add(item.node)
        out.append(
            (
                f"icon of node '{item.node}'",
                f"a third of its ink reaches only {' and '.join(low)} (at least {MIN_RATIO:.0f}:1)",
            )
        )
    return out
