"""The icon-contrast metric and the one-accent-path rule, on inputs whose answers are known."""

from __future__ import annotations

import base64
import importlib.util
import io
from pathlib import Path

import diagrams
import pytest
from PIL import Image

from figure_pipeline import accent, contrast
from figure_pipeline.svg import _encode_icon
from helpers import ROOT

_SPEC = importlib.util.spec_from_file_location("house_style", ROOT / "diagrams" / "house_style.py")
assert _SPEC is not None and _SPEC.loader is not None
house_style = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(house_style)


def _png(*layers: tuple[tuple[int, int, int, int], int]) -> bytes:
    """A 30x30 PNG: each layer is (RGBA colour, how many of its rows, from the top)."""
    image = Image.new("RGBA", (30, 30), (0, 0, 0, 0))
    row = 0
    for color, rows in layers:
        image.paste(Image.new("RGBA", (30, rows), color), (0, row))
        row += rows
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


WHITE = (255, 255, 255)


def test_wcag_luminance_and_ratio() -> None:
    assert contrast.luminance(WHITE) == pytest.approx(1.0)
    assert contrast.luminance((0, 0, 0)) == 0.0
    assert contrast.ratio(1.0, 0.0) == pytest.approx(21.0)
    # WCAG's own example: #767676 on white is the lightest grey reaching 4.5:1.
    assert contrast.ratio(contrast.luminance((0x76, 0x76, 0x76)), 1.0) == pytest.approx(4.54, abs=0.01)


def test_a_solid_mark_measures_its_own_ratio() -> None:
    assert contrast.icon_ratio(_png(((0x76, 0x76, 0x76, 255), 30)), WHITE) == pytest.approx(4.54, abs=0.01)


def test_transparent_and_fill_coloured_pixels_are_not_ink() -> None:
    # A dark mark on a third of the rows, an opaque white square on the rest: the white is the plate.
    png = _png(((0, 0, 0, 255), 10), ((255, 255, 255, 255), 20))
    assert contrast.icon_ratio(png, WHITE) == pytest.approx(21.0)
    assert contrast.icon_ratio(_png(((0, 0, 0, 0), 30)), WHITE) == 1.0


def test_a_third_of_the_ink_must_reach_the_ratio() -> None:
    pale, dark = (0xE0, 0xE0, 0xE0, 255), (0, 0, 0, 255)
    assert contrast.icon_ratio(_png((dark, 11), (pale, 19)), WHITE) >= 3.0  # 11 of 30 rows: over a third
    assert contrast.icon_ratio(_png((dark, 9), (pale, 21)), WHITE) < 1.5  # 9 of 30: under it


def test_an_undecodable_icon_is_a_value_error_the_pipeline_reports() -> None:
    with pytest.raises(ValueError, match="cannot be decoded"):
        contrast.icon_ratio(b"\x89PNG not really", WHITE)


def test_alpha_is_composited_over_the_fill() -> None:
    # Black at half alpha over white is mid grey (#808080 is 3.95:1), not black (21:1).
    assert contrast.icon_ratio(_png(((0, 0, 0, 128), 30)), WHITE) == pytest.approx(3.95, abs=0.05)


def test_the_lift_filter_is_measured_as_the_dark_variant_draws_it() -> None:
    black = _png(((0, 0, 0, 255), 30))
    page = (0x1E, 0x21, 0x29)
    assert contrast.icon_ratio(black, page) < 1.5
    assert contrast.icon_ratio(black, page, lifted=True) > 10


def _svg(plate: str, png: bytes, dark_class: str = "") -> str:
    data = base64.b64encode(png).decode()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<defs><image id="icon1" width="32px" height="32px" {dark_class} href="data:image/png;base64,{data}"/></defs>'
        '<g><g><polygon fill="#ffffff" points="0,0 90,0 90,40 0,40 0,0"/>'
        f'<polygon fill="{plate}" points="2,2 36,2 36,36 2,36 2,2"/>'
        '<use href="#icon1" x="3" y="3"/><text x="40" y="20">proxy</text></g></g></svg>'
    )


def test_measure_finds_the_plate_under_each_icon_in_both_variants() -> None:
    mint = _png(((0x2B, 0xED, 0xA7, 255), 30))
    found = contrast.measure(_svg("#fefefe", mint), _svg("#161b22", mint))
    assert [(f.node, f.light_fill, f.dark_fill) for f in found] == [("proxy", "#fefefe", "#161b22")]
    assert found[0].light < 3 < found[0].dark
    [(elements, detail)] = contrast.problems(found)
    assert elements == "icon of node 'proxy'"
    assert "in the light variant" in detail and "dark variant" not in detail


def test_measure_falls_back_to_the_page_without_a_fill() -> None:
    svg = _svg("none", _png(((0, 0, 0, 255), 30))).replace('fill="#ffffff"', 'fill="none"')
    [found] = contrast.measure(svg, svg)
    assert (found.light_fill, found.dark_fill) == (contrast.PAGE["light"], contrast.PAGE["dark"])
    assert found.light == pytest.approx(21.0) and found.dark < 1.5


def _dot(*edges: str) -> str:
    return "digraph {\n" + "\n".join(f"\t{e}" for e in edges) + "\n}\n"


LABELS = {"a": "A", "b": "B", "c": "C", "d": "D", "4c": "four"}


def test_a_chain_and_a_loop_are_one_path() -> None:
    chain = _dot("a -> b [class=main dir=forward]", 'b -> "4c" [label="x y" class=main]', "a -> c [class=request]")
    assert accent.problems(chain, LABELS) == []
    loop = _dot("a -> b [class=main]", "b -> c [class=main]", "c -> a [class=main]")
    assert accent.problems(loop, LABELS) == []
    assert accent.problems(_dot("a -> b [class=request]"), LABELS) == []


def test_a_path_may_pass_a_node_twice() -> None:
    # In through the proxy b to the app c, back out through b to d: one stroke, a -> b -> c -> b -> d.
    through = _dot("a -> b [class=main]", "b -> c [class=main]", "c -> b [class=main]", "b -> d [class=main]")
    assert accent.problems(through, LABELS) == []


def test_two_chains_a_fork_and_a_merge_fail() -> None:
    [(elements, detail)] = accent.problems(_dot("a -> b [class=main]", '"4c" -> d [class=main]'), LABELS)
    assert elements == "accent edges 'A' -> 'B'; 'four' -> 'D'" and detail == "form 2 separate paths (at most one)"
    [(elements, detail)] = accent.problems(_dot("a -> b [class=main]", "a -> c [class=main]"), LABELS)
    assert elements == "node 'A'"
    assert detail == (
        "the accent edges fork there (2 leave it, 0 arrive); "
        "they start at 'A' and end at 'B', 'C', so they are not one path"
    )
    [(elements, detail)] = accent.problems(_dot("a -> c [class=main]", "b -> c [class=main]"), LABELS)
    assert elements == "node 'C'" and detail.startswith("the accent edges merge there (0 leave it, 2 arrive)")


def test_two_paths_crossing_at_a_node_fail() -> None:
    # a -> x -> b and c -> x -> d: every node balanced but x, yet no one stroke covers both.
    crossing = _dot("a -> x [class=main]", "x -> b [class=main]", "c -> x [class=main]", "x -> d [class=main]")
    [(elements, detail)] = accent.problems(crossing, LABELS)
    assert elements.startswith("accent edges 'A' -> 'x'")
    assert detail == "they start at 'A', 'C' and end at 'B', 'D', so they are not one path"


def test_an_edge_drawn_backwards_counts_the_way_its_arrow_points() -> None:
    # b -> a with dir=back is drawn as an arrow from a to b: a -> b -> c is one chain.
    assert accent.problems(_dot("b -> a [class=main dir=back]", "b -> c [class=main]"), LABELS) == []
    assert accent.problems(_dot("a -> b [class=main dir=forward]", "c -> b [class=main]"), LABELS) != []


def _icon_png(path: Path) -> bytes:
    """The icon exactly as the pipeline embeds it in a house-style card: the 32 px cell less its 3 px
    padding, at 2x for sharp screens."""
    data_uri, _ = _encode_icon(path, (house_style.ICON - 2 * 3) * 2)
    return base64.b64decode(data_uri.split(",", 1)[1])


@pytest.mark.parametrize("name", house_style.DARK_PLATE_ICONS)
def test_each_dark_plate_icon_exists_needs_its_plate_and_passes_on_it(name: str) -> None:
    path = Path(diagrams.__file__).resolve().parent.parent / "resources" / name
    assert path.is_file(), f"DARK_PLATE_ICONS names {name}, which the diagrams package does not ship"
    png = _icon_png(path)

    def measured(color: str) -> float:
        rgb = (int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))
        return contrast.icon_ratio(png, rgb)

    light_plate = (house_style.ICON_PLATE, house_style.DARK[house_style.ICON_PLATE])
    dark_plate = (house_style.ICON_BACKING, house_style.DARK[house_style.ICON_BACKING])
    assert min(measured(c) for c in light_plate) < contrast.MIN_RATIO, f"{name} reads on the light plate"
    assert min(measured(c) for c in dark_plate) >= contrast.MIN_RATIO, f"{name} is faint on the dark plate"


def test_only_listed_icons_get_the_dark_plate() -> None:
    assert house_style.icon_plate("/x/resources/onprem/network/linkerd.png") == house_style.ICON_BACKING
    assert house_style.icon_plate("C:\\x\\resources\\onprem\\network\\linkerd.png") == house_style.ICON_BACKING
    assert house_style.icon_plate("/x/resources/onprem/network/envoy.png") == house_style.ICON_PLATE
    assert house_style.icon_plate("/x/resources/onprem/network/notlinkerd.png") == house_style.ICON_PLATE
