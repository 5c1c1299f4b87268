"""Scale runs: cold, warm and floor builds of generated corpora of growing size."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import mkdocs_config
from ..common import ROOT
from .builds import Series, cold_ours, copy_rendered_figures, mkdocs_build, warm_ours
from .corpus import make_corpus
from .runs import say
from .variants import figures_config, make_floor, make_ours

FULL_SIZES = [(100, 30), (300, 100), (1000, 300)]
QUICK_SIZES = [(20, 6), (60, 18)]


@dataclass
class SizeResult:
    pages: int
    figures: int
    series: dict[str, Series] = field(default_factory=dict)


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """'100x30,300x100' -> [(100, 30), (300, 100)]: pages x figures."""
    sizes = []
    for part in text.split(","):
        pages, _, figures = part.strip().lower().partition("x")
        if not pages.isdigit() or not figures.isdigit() or int(pages) < 1:
            raise ValueError(f"size {part!r} must look like 100x30 (pages x figures)")
        sizes.append((int(pages), int(figures)))
    return sizes


def measure_size(work: Path, pages: int, figures: int, repeats: int) -> SizeResult:
    base = work / f"scale-{pages}x{figures}"
    base.mkdir(parents=True)
    source = make_corpus(ROOT, base / "corpus", pages, figures)
    ours = make_ours(source, base)
    say(f"scale {pages} pages x {figures} figures: pre-rendering figures for the floor")
    published = base / "published"
    plugin = figures_config(mkdocs_config.load(source / "mkdocs.yml"))
    copy_rendered_figures(source / plugin.scripts_dir, base / "prep-cache", published, plugin.style_module)
    floor = make_floor(source, base, published)
    result = SizeResult(pages, figures, {k: Series(k) for k in ("floor", "cold", "warm")})

    mkdocs_build(floor, "floor-warmup")  # file system caches, so the first measured run is not an outlier
    for r in range(repeats):
        say(f"scale {pages}x{figures}, repeat {r + 1}/{repeats}")
        result.series["cold"].runs.append(cold_ours(ours, str(r)))
        result.series["warm"].runs.append(warm_ours(ours, str(r)))
        result.series["floor"].runs.append(mkdocs_build(floor, f"floor-{r}"))  # right after warm: a fair pair
    return result
