"""Keep only safe SVG: an allowlist of elements and attributes, local icons, no script or links.

Everything in Graphviz's SVG is under the figure script's control (labels, `URL`/`href` node
attributes, `image` paths, and a hostile script can even replace the layout step), so it is
treated as untrusted input twice:

- `clean_graphviz_svg` runs on the raw Graphviz output, before icons are embedded: `<a>` links
  are unwrapped (their drawing kept), anything not on the allowlist is dropped, and every
  `<image>` must name an icon file inside one of the allowed folders (the `diagrams` icon set,
  the project); nothing else on the disk is read into a figure.
- `check_figure_svg` is the last gate before the cache: the finished SVG may contain only
  allowed elements and attributes, `href`s that are `#fragments` or embedded PNG data, and
  `url(#...)` references. A figure that fails it is a bug or an attack, and is never published.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_S = f"{{{SVG_NS}}}"
_XLINK_HREF = f"{{{XLINK_NS}}}href"

ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "title",
        "desc",
        "defs",
        "path",
        "polygon",
        "polyline",
        "ellipse",
        "circle",
        "rect",
        "line",
        "text",
        "tspan",
        "image",
        "use",
        "linearGradient",
        "radialGradient",
        "stop",
        "filter",
        "feColorMatrix",
    }
)
# Presentation and geometry only: no event handlers (on*), no `style` (CSS can load URLs).
ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "width",
        "height",
        "viewBox",
        "preserveAspectRatio",
        "transform",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-linecap",
        "stroke-linejoin",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "text-decoration",
        "baseline-shift",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "color-interpolation-filters",
        "type",
        "values",
        "filter",
        "href",
        "version",
    }
)
_DATA_PNG = re.compile(r"^data:image/png;base64,[A-Za-z0-9+/=]*$")
_FRAGMENT = re.compile(r"^#[A-Za-z_][\w.-]*$")
_URL = re.compile(r"url\(\s*([^)]*)\)", re.IGNORECASE)


class UnsafeSvg(ValueError):
    """The SVG holds something outside the allowlist, or an icon from outside the allowed folders."""


def _local(tag: str) -> str | None:
    """The element's name, or None for anything outside the SVG namespace (foreign content)."""
    return tag[len(_S) :] if tag.startswith(_S) else None


def _attr_name(name: str) -> str | None:
    if name == _XLINK_HREF:
        return "href"
    return None if name.startswith("{") else name


def _safe_value(value: str) -> bool:
    if "javascript:" in value.replace(" ", "").lower():
        return False
    return all(_FRAGMENT.match(ref.strip("'\" ")) for ref in _URL.findall(value))


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _unwrap_links(root: ET.Element) -> None:
    """Replace every `<a>` by its children: Graphviz writes one per `URL`/`href` attribute."""
    changed = True
    while changed:
        changed = False
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == f"{_S}a":
                    parent.remove(child)
                    for offset, grandchild in enumerate(list(child)):
                        parent.insert(index + offset, grandchild)
                    changed = True
                    break
            if changed:
                break


def clean_graphviz_svg(raw: str, icon_roots: list[Path]) -> str:
    """Raw Graphviz SVG with links unwrapped, non-allowlisted parts dropped, icons checked."""
    if "<!ENTITY" in raw:
        raise UnsafeSvg("the SVG declares XML entities")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"Graphviz's SVG does not parse: {exc}") from exc
    if _local(root.tag) != "svg":
        raise UnsafeSvg("the layout did not produce an SVG document")
    _unwrap_links(root)
    roots = [r.resolve() for r in icon_roots]
    for parent in list(root.iter()):
        for child in list(parent):
            name = _local(child.tag) if isinstance(child.tag, str) else None
            if name not in ELEMENTS:
                parent.remove(child)  # script, foreignObject, style, comments, anything unknown
    for element in root.iter():
        name = _local(element.tag)
        for attr in list(element.attrib):
            local = _attr_name(attr)
            value = element.attrib[attr]
            if name == "image" and local == "href":
                path = Path(value)
                if not path.is_absolute() or not _inside(path.resolve(), roots):
                    raise UnsafeSvg(
                        f"icon {value!r} is not inside the diagrams icon set or the project; "
                        "keep custom icons in the repository"
                    )
                continue
            if local not in ATTRIBUTES or (local == "href") or not _safe_value(value):
                del element.attrib[attr]
    return ET.tostring(root, encoding="unicode")


def check_figure_svg(svg: str) -> None:
    """Raise UnsafeSvg unless a finished figure holds only allowlisted, self-contained parts."""
    if "<!DOCTYPE" in svg or "<!ENTITY" in svg:
        raise UnsafeSvg("the figure has a DOCTYPE")
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"the figure does not parse: {exc}") from exc
    for element in root.iter():
        name = _local(element.tag) if isinstance(element.tag, str) else None
        if name not in ELEMENTS:
            raise UnsafeSvg(f"element <{element.tag}> is not allowed in a figure")
        for attr, value in element.attrib.items():
            local = _attr_name(attr)
            if local not in ATTRIBUTES:
                raise UnsafeSvg(f"attribute {attr!r} on <{name}> is not allowed in a figure")
            if local == "href":
                ok = _DATA_PNG.match(value) if name == "image" else (name == "use" and _FRAGMENT.match(value))
                if not ok:
                    raise UnsafeSvg(f"<{name}> links to {value[:60]!r}; figures are self-contained")
            elif not _safe_value(value):
                raise UnsafeSvg(f"attribute {attr!r} on <{name}> refers outside the figure: {value[:60]!r}")
