"""Cold, warm, floor and prior-art builds of one site, measured side by side.

Each repeat runs every variant once, in a rotated order, so that a burst of load on a shared
machine hits all of them rather than one; the tables report medians. The floor build runs right
after the warm build of the same repeat, and the warm target uses the median of those pairs'
ratios, which a slow minute on a shared machine affects much less than a ratio of medians.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from figure_pipeline import defaults
from figure_pipeline.cache import FigureCache, cache_key
from figure_pipeline.mkdocs_plugin.config import render_options
from figure_pipeline.options import RenderOptions
from figure_pipeline.render import copy_figures, discover, render_all

from .. import mkdocs_config
from ..common import BIN, ROOT
from .runs import Run, base_env, median, run_measured, say
from .variants import Variant, clear_prior_outputs, figures_config

LABELS = {
    "floor": "No pipeline: pre-rendered images (floor)",
    "warm": "Nutshell pipeline, warm (nothing changed)",
    "cold": "Nutshell pipeline, cold (empty cache)",
    "prior_warm": "mkdocs-diagrams 1.0.0, second build",
    "prior_cold": "mkdocs-diagrams 1.0.0, first build",
}
SHORT = {
    "floor": "No pipeline (floor)",
    "warm": "Nutshell, warm",
    "cold": "Nutshell, cold",
    "prior_warm": "mkdocs-diagrams, 2nd build",
    "prior_cold": "mkdocs-diagrams, 1st build",
}


@dataclass
class Series:
    """All runs of one kind of build."""

    id: str
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median_s(self) -> float:
        return median(self.seconds)

    @property
    def cpu_median_s(self) -> float:
        return median([r.cpu_s for r in self.runs])

    @property
    def peak_rss_mb(self) -> float:
        return max((r.peak_rss_mb for r in self.runs), default=float("nan"))

    def paired_ratio(self, other: Series) -> float:
        """Median of run-by-run ratios to `other` (runs made back to back, so load bursts cancel out)."""
        return median([a.seconds / b.seconds for a, b in zip(self.runs, other.runs, strict=False) if b.seconds])

    @property
    def failures(self) -> list[Run]:
        return [r for r in self.runs if not r.ok]


def mkdocs_build(variant: Variant, label: str, mkdocs: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """One `mkdocs build` of a site copy into its own output folder (not strict: pages may be in flux)."""
    command = [str(mkdocs or BIN / "mkdocs"), "build", "--site-dir", str(variant.site_dir)]
    log = variant.root.parent / f"{label}.log"
    return run_measured(command, cwd=variant.root, log_path=log, env=env or base_env())


def variant_options(variant: Variant) -> RenderOptions:
    """The render options a build of this site copy uses, from its mkdocs.yml (as the plugin reads it)."""
    return render_options(figures_config(mkdocs_config.load(variant.config_file)), variant.root)


def cache_state(variant: Variant) -> tuple[int, int]:
    """(figures, figures whose current cache entry exists): the pipeline's own discovery and cache
    keys, read from the cache rather than from a build's log."""
    options = variant_options(variant)
    cache = FigureCache(options.cache_dir)
    style = (options.scripts_dir / options.style_module).read_bytes()
    scripts = discover(options.scripts_dir, options.style_module)
    keys = [cache_key(script.read_bytes(), style, options.key_options()) for script in scripts.values()]
    return len(keys), sum(1 for key in keys if cache.lookup(key) is not None)


def _entries(variant: Variant) -> dict[str, int]:
    """The cache's finished entries and their modification times: a re-render replaces one."""
    folder = FigureCache(variant_options(variant).cache_dir).entries
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.is_dir() else {}


def cold_ours(variant: Variant, tag: str) -> Run:
    assert variant.figure_outputs is not None
    shutil.rmtree(variant.figure_outputs, ignore_errors=True)
    run = mkdocs_build(variant, f"cold-{tag}")
    figures, cached = cache_state(variant)
    if run.ok and cached != figures:
        say(f"warning: the cold build left {figures - cached} of {figures} figures unrendered")
    return run


def warm_ours(variant: Variant, tag: str) -> Run:
    before = _entries(variant)
    run = mkdocs_build(variant, f"warm-{tag}")
    if run.ok and _entries(variant) != before:
        say("warning: the warm build rendered figures again (its cache entries changed)")
    return run


def copy_rendered_figures(scripts_dir: Path, cache_dir: Path, out: Path, style_module: str) -> list[str]:
    """Render every figure (in parallel) and copy `<name>.svg`/`<name>.dark.svg` into `out`."""
    report = render_all(RenderOptions(scripts_dir=scripts_dir, cache_dir=cache_dir, style_module=style_module))
    if report.problems:
        say(f"warning: {len(report.problems)} figures failed to render: {report.problems[0].describe()}")
    copy_figures(report, out)
    return sorted(name for name, result in report.results.items() if result.entry is not None)


def single_renders(scripts_dir: Path, scratch: Path, style_module: str = defaults.STYLE_MODULE) -> dict[str, float]:
    """Seconds to render each figure alone: one at a time, each into its own empty cache."""
    seconds = {}
    for name in discover(scripts_dir, style_module):
        shutil.rmtree(scratch, ignore_errors=True)
        options = RenderOptions(scripts_dir=scripts_dir, cache_dir=scratch, style_module=style_module, workers=1)
        result = render_all(options, only={name}).results.get(name)
        if result is not None and result.entry is not None:
            seconds[name] = result.seconds
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds


@dataclass
class SiteResult:
    """Everything measured on one site."""

    series: dict[str, Series]
    singles: dict[str, list[float]]

    def single_sum(self) -> float:
        return sum(median(v) for v in self.singles.values())


def measure_site(
    ours: Variant,
    floor: Variant,
    prior: Variant | None,
    prior_mkdocs: Path | None,
    repeats: int,
    scripts_dir: Path,
    style_module: str,
) -> SiteResult:
    series = {key: Series(key) for key in LABELS if prior is not None or not key.startswith("prior")}
    singles: dict[str, list[float]] = {}
    prior_env = base_env(PYTHONPATH=str(ROOT / "src"))  # our Markdown extensions, for pages that use them

    def run_ours(r: int) -> None:
        series["cold"].runs.append(cold_ours(ours, str(r)))
        series["warm"].runs.append(warm_ours(ours, str(r)))
        series["floor"].runs.append(mkdocs_build(floor, f"floor-{r}"))  # right after warm: a fair pair

    def run_prior(r: int) -> None:
        assert prior is not None
        clear_prior_outputs(prior)
        series["prior_cold"].runs.append(mkdocs_build(prior, f"prior-cold-{r}", prior_mkdocs, prior_env))
        series["prior_warm"].runs.append(mkdocs_build(prior, f"prior-warm-{r}", prior_mkdocs, prior_env))

    def run_singles(r: int) -> None:
        for name, seconds in single_renders(scripts_dir, ours.root.parent / "single-cache", style_module).items():
            singles.setdefault(name, []).append(seconds)

    units: list[Callable[[int], None]] = [run_ours, run_singles]
    if prior is not None:
        units.insert(1, run_prior)
    for r in range(repeats):
        order = units[r % len(units) :] + units[: r % len(units)]
        say(f"site builds, repeat {r + 1}/{repeats}: " + ", ".join(u.__name__.removeprefix("run_") for u in order))
        for unit in order:
            unit(r)
    for s in series.values():
        for failed in s.failures:
            tail = "\n".join(failed.log.strip().splitlines()[-8:])
            say(f"warning: a {s.id} build exited with {failed.returncode}:\n{tail}")
    return SiteResult(series, singles)
