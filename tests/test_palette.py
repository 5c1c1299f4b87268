"""The house palette: every colour pair a reader relies on has enough contrast, light and dark.

The ratios are WCAG 2 contrast ratios computed from the tokens in diagrams/house_style.py (the
light colours, and their dark tokens in `DARK`) against the pages the site shows figures on:
Material's default page (#ffffff) and its slate page, `--md-default-bg-color:
hsla(var(--md-hue), 15%, 14%, 1)` with `--md-hue: 225deg` (#1e2129; Material's
src/templates/assets/stylesheets/palette/_scheme.scss, as in the installed 9.x CSS). A line or
outline that identifies something (a card's border, a group's border, an edge) needs 3:1 against every colour it sits on
(WCAG 1.4.11 non-text contrast); text needs 4.5:1 (WCAG 1.4.3). CONTRIBUTING.md states the same
rule in the same words as RULE.
"""

from __future__ import annotations

import colorsys
import importlib.util
from types import ModuleType

import pytest

from helpers import ROOT

RULE = (
    "every line a reader relies on (card and group borders, edges) has at least 3:1 contrast against "
    "each colour it sits on, and all text at least 4.5:1, in light and dark mode"
)
FILL_RULE = "in dark mode every group fill stands at least 1.2:1 apart from the page"


def _hsl(hue: float, saturation: float, lightness: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


PAGES = {"light": "#ffffff", "dark": _hsl(225, 0.15, 0.14)}  # Material's default and slate pages


def _house_style() -> ModuleType:
    spec = importlib.util.spec_from_file_location("house_style_tokens", ROOT / "diagrams" / "house_style.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STYLE = _house_style()


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour written #rrggbb."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(color[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _grounds() -> dict[str, str]:
    return {"the page": "page", "the card fill": STYLE.CARD_FILL} | {
        f"group fill {i}": fill for i, fill in enumerate(STYLE.GROUP_FILLS)
    }


def _pairs() -> list[tuple[str, str, str, float]]:
    """(what, its colour, what it sits on, the ratio it needs), as light-mode tokens."""
    grounds = _grounds()
    fills = {k: v for k, v in grounds.items() if k != "the card fill"}
    pairs: list[tuple[str, str, str, float]] = []
    # A card sits on the page or any group fill; its border also bounds its own (card) fill.
    pairs += [("CARD_BORDER", STYLE.CARD_BORDER, ground, 3.0) for ground in grounds]
    # A group's border runs between its parent's fill (or the page) and its own fill.
    pairs += [("GROUP_BORDER", STYLE.GROUP_BORDER, ground, 3.0) for ground in fills]
    # Edges run over the page and group fills.
    for name in ("EDGE", "ACCENT", "WARN"):
        pairs += [(name, getattr(STYLE, name), ground, 3.0) for ground in fills]
    # Node names on their card; group titles on their group's fill; edge labels on the page or a fill.
    pairs += [("INK (node names)", STYLE.INK, "the card fill", 4.5)]
    pairs += [("INK (group titles)", STYLE.INK, ground, 4.5) for ground in fills if ground != "the page"]
    pairs += [("MUTED (edge labels)", STYLE.MUTED, ground, 4.5) for ground in fills]
    # The legend under a figure names each kind of edge in that edge's colour, on the page.
    pairs += [(f"{name} (legend text)", getattr(STYLE, name), "the page", 4.5) for name in ("EDGE", "ACCENT", "WARN")]
    return pairs


def _in(variant: str, color: str) -> str:
    if color == "page":
        return PAGES[variant]
    return color if variant == "light" else STYLE.DARK[color]


def test_every_house_colour_has_a_dark_token() -> None:
    names = ("INK", "MUTED", "EDGE", "ACCENT", "WARN", "GROUP_BORDER", "CARD_FILL", "CARD_BORDER")
    missing = [n for n in names if getattr(STYLE, n) not in STYLE.DARK]
    missing += [f"GROUP_FILLS[{i}]" for i, fill in enumerate(STYLE.GROUP_FILLS) if fill not in STYLE.DARK]
    assert not missing, f"house_style.DARK has no dark token for {', '.join(missing)}"


@pytest.mark.parametrize("variant", sorted(PAGES))
def test_palette_contrast(variant: str) -> None:
    grounds = _grounds()
    low = []
    for what, color, ground, needed in _pairs():
        fg, bg = _in(variant, color), _in(variant, grounds[ground])
        ratio = contrast(fg, bg)
        if ratio < needed:
            low.append(f"{what} {fg} on {ground} {bg}: {ratio:.2f}:1 (needs {needed:g}:1)")
    assert not low, f"{variant} mode: {RULE}; too low:\n  " + "\n  ".join(low)


def test_dark_group_fills_stand_apart_from_the_page() -> None:
    low = [
        f"{fill} -> {STYLE.DARK[fill]}: {contrast(STYLE.DARK[fill], PAGES['dark']):.2f}:1"
        for fill in STYLE.GROUP_FILLS
        if contrast(STYLE.DARK[fill], PAGES["dark"]) < 1.2
    ]
    assert not low, f"{FILL_RULE}; too low: " + ", ".join(low)


def test_the_ratio_is_wcags() -> None:
    assert PAGES["dark"] == "#1e2129"
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic 4.5:1 grey
    # The light border first used (#8c959f) passes on the page but not on the group fills.
    assert contrast("#8c959f", "#ffffff") == pytest.approx(3.04, abs=0.01)
    assert min(contrast("#8c959f", fill) for fill in STYLE.GROUP_FILLS) == pytest.approx(2.68, abs=0.01)


def test_contributing_states_the_rule_in_the_same_words() -> None:
    text = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert RULE in text
    assert FILL_RULE in text
