"""Turn Graphviz SVG into a self-contained, web-safe figure.

Graphviz writes each node icon as `<image xlink:href="/abs/path/icon.png">`: a filesystem path
that no browser will load from an SVG used as `<img>`. Here each distinct icon is shrunk to
the size it is shown at (times two, for sharp high-density screens), embedded once as a
`data:` URI in `<defs>`, and reused with `<use>`. Text stays `<text>`, so it stays selectable,
sharp at any zoom and small.
"""

from __future__ import annotations

import base64
import colorsys
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import IconCache
from .legend import add_legend, edge_styles
from .lint import legend_font

if TYPE_CHECKING:
    from PIL import Image

# Bump when `_encode_icon` changes what it writes: it is part of every icon-cache key.
ICON_CODEC = "1"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_S = f"{{{SVG_NS}}}"
_XLINK_HREF = f"{{{XLINK_NS}}}href"
DARK_INK_CLASS = "dark-ink"  # marks icons drawn in dark ink, lifted by a filter in the dark variant


class SvgError(ValueError):
    """The SVG could not be made self-contained (for example, an icon file is missing)."""


def _is_dark_ink(icon: Image.Image) -> bool:
    """True for icons drawn mostly in dark ink, which vanish on a dark page.

    That is: the mean luminance of the clearly visible pixels (alpha above 128) is below 90.
    The histogram of the luminance under that alpha mask gives the same sum and count as a
    pixel-by-pixel loop, without one.
    """
    mask = icon.getchannel("A").point(lambda a: 255 if a > 128 else 0)
    histogram = icon.convert("L").histogram(mask)
    count = sum(histogram)
    return bool(count) and sum(level * n for level, n in enumerate(histogram)) / count < 90


def _read_icon(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SvgError(f"cannot read icon {path.name}: {exc}") from exc


def _encode_icon_cached(path: Path, box_px: int, cache_dir: Path | None) -> tuple[str, bool]:
    """`_encode_icon`, through the icon cache in `cache_dir` (see `cache.IconCache`) when given."""
    if cache_dir is None:
        return _encode_icon(path, box_px)
    icons = IconCache(cache_dir)
    key = IconCache.key(_read_icon(path), box_px, ICON_CODEC)
    hit = icons.get(key)
    if hit is not None:
        return hit
    data_uri, dark = _encode_icon(path, box_px)
    icons.put(key, data_uri, dark)
    return data_uri, dark


def _encode_icon(path: Path, box_px: int) -> tuple[str, bool]:
    """A PNG `data:` URI of the icon scaled to fit `box_px`, palette-reduced and optimised,
    and whether the icon is dark ink."""
    from PIL import Image  # here, not at module level: a render whose icons are all cached never needs it

    try:
        with Image.open(path) as image:
            icon = image.convert("RGBA")
    except OSError as exc:
        raise SvgError(f"cannot read icon {path.name}: {exc}") from exc
    icon.thumbnail((box_px, box_px), Image.Resampling.LANCZOS)
    dark = _is_dark_ink(icon)
    icon = icon.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    icon.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"), dark


def _px(value: str) -> float:
    number = float(re.sub(r"[a-z%]+$", "", value))
    return number * 4 / 3 if value.endswith("pt") else number


def postprocess_svg(
    raw_svg: str,
    *,
    title: str,
    icon_px: int,
    icon_cache: Path | None = None,
    css_px: bool = False,
    lift_dark_icons: bool = True,
) -> str:
    """Embed and de-duplicate icons, drop Graphviz-internal titles and ids, add a `<title>`.

    `icon_cache`, if given, is a folder where encoded icons are kept for other renders.
    `css_px` draws one SVG unit as one CSS px instead of Graphviz's 1 pt (4/3 px).
    `lift_dark_icons` marks dark line-art icons to be made lighter in the dark variant; a style that
    puts every icon on a light plate turns it off.
    """
    root = ET.fromstring(raw_svg)
    styles = edge_styles(root)  # read before the classes that name edge kinds are dropped
    first_text = root.find(f".//{_S}text")
    font = first_text.get("font-family", "sans-serif") if first_text is not None else "sans-serif"
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{_S}title":
                parent.remove(child)
        if parent.tag == f"{_S}g":
            parent.attrib.pop("id", None)
            parent.attrib.pop("class", None)

    defs = ET.Element(f"{_S}defs")
    icons: dict[tuple[str, str, str], str] = {}
    for parent in root.iter():
        for index, child in enumerate(list(parent)):
            if child.tag != f"{_S}image":
                continue
            href = child.get(_XLINK_HREF) or child.get("href") or ""
            width, height = child.get("width", "0"), child.get("height", "0")
            key = (href, width, height)
            if key not in icons:
                icon_id = f"icon{len(icons) + 1}"
                icons[key] = icon_id
                scale = max(_px(width), _px(height)) * 2 / 100  # render size in CSS px at 2x
                box = max(16, min(icon_px, round(scale * 100)))
                data_uri, dark_ink = _encode_icon_cached(Path(href), box, icon_cache)
                attrs = {
                    "id": icon_id,
                    "width": width,
                    "height": height,
                    "preserveAspectRatio": child.get("preserveAspectRatio", "xMidYMid meet"),
                    "href": data_uri,
                }
                if dark_ink and lift_dark_icons:
                    attrs["class"] = DARK_INK_CLASS
                ET.SubElement(defs, f"{_S}image", attrs)
            use = ET.Element(
                f"{_S}use",
                {"href": f"#{icons[key]}", "x": child.get("x", "0"), "y": child.get("y", "0")},
            )
            parent.remove(child)
            parent.insert(index, use)

    root.insert(0, defs)
    title_el = ET.Element(f"{_S}title")
    title_el.text = title
    root.insert(0, title_el)
    for attr in ("id", "class"):
        root.attrib.pop(attr, None)
    # With `css_px` the house style's font sizes are the px a reader sees whenever the figure
    # fits the text column, the same in every figure.
    for attr in ("width", "height"):
        if css_px and root.get(attr, "").endswith("pt"):
            root.set(attr, root.get(attr, "")[:-2] + "px")
    view_width = float((root.get("viewBox") or "0 0 0 0").split()[2])
    add_legend(root, styles, font, legend_font(view_width, 1.0 if css_px else 4 / 3))
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def svg_size(svg: str) -> tuple[int, int]:
    """The figure's width and height in CSS pixels."""
    root = ET.fromstring(svg)
    return round(_px(root.get("width", "0"))), round(_px(root.get("height", "0")))


# Invert, then turn the hue back: dark line icons become light without changing colour family.
_LIFT_FILTER = (
    '<filter id="lift" color-interpolation-filters="sRGB">'
    '<feColorMatrix type="matrix" values="-1 0 0 0 1 0 -1 0 0 1 0 0 -1 0 1 0 0 0 1 0"/>'
    '<feColorMatrix type="hueRotate" values="180"/></filter>'
)

_NAMED = {"black": "#000000", "white": "#ffffff"}
_COLOR_ATTR = re.compile(r'(fill|stroke)="(#[0-9a-fA-F]{6}|black|white)"')


def _dark(hex_color: str) -> str:
    """Mirror a colour's lightness for a dark background, keeping hue and saturation."""
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    # Squeeze into 0.12..0.92: fills stay a shade above the page, text stays off pure white.
    lightness = 0.12 + (1 - lightness) * 0.8
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation * 0.85)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


_PALETTE = re.compile(r'\bdark_palette="([^"]*)"')
_TOKEN = re.compile(r"(#[0-9a-fA-F]{6}):(#[0-9a-fA-F]{6})")


def dark_palette(dot_source: str) -> dict[str, str]:
    """The style's explicit dark tokens (`dark_palette="#light:#dark ..."` on the graph), if any."""
    match = _PALETTE.search(dot_source)
    return {a.lower(): b.lower() for a, b in _TOKEN.findall(match.group(1))} if match else {}


def dark_variant(svg: str, palette: dict[str, str] | None = None) -> str:
    """The same figure for a dark page: each colour becomes its `palette` token, or else is
    mirrored in lightness."""
    palette = palette or {}

    def swap(match: re.Match[str]) -> str:
        color = _NAMED.get(match.group(2), match.group(2)).lower()
        return f'{match.group(1)}="{palette.get(color) or _dark(color)}"'

    svg = _COLOR_ATTR.sub(swap, svg)
    svg = svg.replace(f'class="{DARK_INK_CLASS}"', 'filter="url(#lift)"')
    return svg.replace("<defs>", "<defs>" + _LIFT_FILTER, 1)
