"""Targets, printed tables and the JSON record of one benchmark run."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from site_extensions.benchmark_record import SCHEMA

from .builds import LABELS, SHORT, SiteResult
from .runs import median, spread, table
from .scale import SizeResult
from .serve import ServeResult
from .sizes import FigureBytes

PAGE_EDIT = "page edit -> reload"
FIGURE_EDIT = "figure edit -> new figure"


@dataclass(frozen=True)
class Target:
    id: str
    label: str
    measured: float
    limit: float
    unit: str
    passed: bool

    def row(self) -> list[object]:
        return [
            self.label,
            f"{self.measured:.2f} {self.unit}",
            f"{self.limit:.2f} {self.unit}",
            "PASS" if self.passed else "MISS",
        ]


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def site_targets(site: SiteResult, cores: int, serve: ServeResult | None) -> list[Target]:
    s = {k: v.median_s for k, v in site.series.items()}
    budget = s["floor"] + site.single_sum() / cores * 1.2
    warm_ratio = site.series["warm"].paired_ratio(site.series["floor"])
    targets = [
        Target("warm_vs_floor", "warm build <= 1.10 x floor (paired runs)", warm_ratio, 1.10, "x", warm_ratio <= 1.10),
        Target(
            "cold_budget",
            "cold build <= floor + sum(single renders)/cores x 1.2",
            s["cold"],
            budget,
            "s",
            s["cold"] <= budget,
        ),
    ]
    if serve is not None and serve.figure_edit_s:
        fe, pe = median(serve.figure_edit_s), median(serve.page_edit_s)
        targets.append(Target("figure_edit", "figure edit -> new figure in browser < 1 s", fe, 1.0, "s", fe < 1.0))
        targets.append(Target("page_edit", "page edit -> reload < 1 s", pe, 1.0, "s", pe < 1.0))
    if "prior_cold" in s:
        targets.append(
            Target(
                "prior_cold",
                "cold build faster than mkdocs-diagrams 1.0.0",
                s["cold"],
                s["prior_cold"],
                "s",
                s["cold"] < s["prior_cold"],
            )
        )
        targets.append(
            Target(
                "prior_warm",
                "warm build faster than mkdocs-diagrams 1.0.0",
                s["warm"],
                s["prior_warm"],
                "s",
                s["warm"] < s["prior_warm"],
            )
        )
    return targets


def scale_targets(sizes: list[SizeResult]) -> list[Target]:
    if not sizes:
        return []
    targets = []
    ratios = [z.series["warm"].paired_ratio(z.series["floor"]) for z in sizes]
    targets.append(
        Target(
            "scale_warm",
            "warm <= 1.10 x floor at every size (worst, paired runs)",
            max(ratios),
            1.10,
            "x",
            max(ratios) <= 1.10,
        )
    )
    first, last = sizes[0], sizes[-1]
    grow = max(last.pages / first.pages, last.figures / max(first.figures, 1))
    # The render work is what a cold build does beyond a warm one; CPU seconds measure it far more
    # steadily than a difference of two wall-clock medians of minute-long builds on a shared machine.
    fig_grow = last.figures / max(first.figures, 1)
    g = _ratio(_render_cpu(last), _render_cpu(first))
    targets.append(
        Target(
            "scale_render_linear",
            f"render CPU (cold - warm) growth <= figure growth (x{fig_grow:.1f})",
            g,
            fig_grow,
            "x",
            0 < g <= fig_grow,
        )
    )
    for kind in ("cold", "warm"):
        g = _ratio(last.series[kind].median_s, first.series[kind].median_s)
        targets.append(
            Target(
                f"scale_{kind}_linear", f"{kind} build growth <= input growth (x{grow:.1f})", g, grow, "x", g <= grow
            )
        )
    return targets


def _render_cpu(z: SizeResult) -> float:
    return z.series["cold"].cpu_median_s - z.series["warm"].cpu_median_s


def site_table(site: SiteResult, pages: int, figures: int, repeats: int) -> str:
    floor = site.series["floor"].median_s
    cpu_floor = site.series["floor"].cpu_median_s
    rows = [
        [
            LABELS[k],
            s.median_s,
            spread(s.seconds),
            f"{_ratio(s.median_s, floor):.2f}x",
            s.cpu_median_s,
            f"{_ratio(s.cpu_median_s, cpu_floor):.2f}x",
            round(s.peak_rss_mb),
        ]
        for k, s in site.series.items()
    ]
    title = f"Real site: {pages} pages, {figures} figures, median of {repeats} run(s)"
    head = ["build", "wall s", "range s", "vs floor", "CPU s", "CPU vs floor", "peak RSS MB"]
    paired = site.series["warm"].paired_ratio(site.series["floor"])
    return table(head, rows, title) + f"warm / floor, median of back-to-back pairs: {paired:.2f}x\n"


def singles_table(site: SiteResult, cores: int) -> str:
    med = sorted(((median(v), k) for k, v in site.singles.items()), reverse=True)
    rows: list[list[object]] = [[name, seconds] for seconds, name in med[:5]]
    rows.append([f"sum of {len(med)} figures", site.single_sum()])
    rows.append([f"sum / {cores} cores x 1.2 (cold budget above floor)", site.single_sum() / cores * 1.2])
    return table(["single-figure render (alone, one worker)", "seconds"], rows, "Single-figure render times")


def serve_table(serve: ServeResult) -> str:
    rows = [
        [label, median(v), spread(v), len(v)]
        for label, v in ((PAGE_EDIT, serve.page_edit_s), (FIGURE_EDIT, serve.figure_edit_s))
    ]
    title = f"mkdocs serve latency (page {serve.page}, figure {serve.figure}), write -> DOM change"
    return table(["edit", "median s", "range s", "runs"], rows, title)


def bytes_rows(rows: list[FigureBytes]) -> tuple[list[list[object]], dict[str, int]]:
    keys = ["ours_svg", "ours_dark_svg", "png", "raw_svg", "raw_svg_icons", "ours_svg_gzip"]
    total = {k: sum(getattr(r, k) for r in rows) for k in keys}
    out: list[list[object]] = [[r.name, *(getattr(r, k) for k in keys)] for r in rows]
    out.append(["TOTAL", *(total[k] for k in keys)])
    return out, total


def bytes_table(rows: list[FigureBytes]) -> str:
    body, total = bytes_rows(rows)
    head = ["figure", "our SVG", "our dark SVG", "diagrams PNG", "raw SVG", "raw SVG+icons", "our SVG gz"]
    note = (
        f"our SVG is {_ratio(total['ours_svg'], total['png']):.2f}x the PNG bytes and "
        f"{_ratio(total['ours_svg'], total['raw_svg_icons']):.2f}x raw SVG + the icon files it links\n"
    )
    return table(head, body, "Figure bytes (light variant unless noted)") + note


def scale_table(sizes: list[SizeResult]) -> str:
    rows = []
    first = sizes[0]
    for z in sizes:
        f, c, w = (z.series[k].median_s for k in ("floor", "cold", "warm"))
        growth = "/".join(
            f"{_ratio(z.series[k].median_s, first.series[k].median_s):.1f}" for k in ("floor", "cold", "warm")
        )
        rows.append(
            [
                z.pages,
                z.figures,
                f,
                c,
                w,
                f"{z.series['warm'].paired_ratio(z.series['floor']):.2f}x",
                f"{_ratio(z.series['warm'].cpu_median_s, z.series['floor'].cpu_median_s):.2f}x",
                _render_cpu(z),
                round(z.series["cold"].peak_rss_mb),
                round(z.series["warm"].peak_rss_mb),
                f"x{z.pages / first.pages:.1f}",
                growth,
            ]
        )
    head = [
        "pages",
        "figures",
        "floor s",
        "cold s",
        "warm s",
        "warm/floor",
        "CPU warm/floor",
        "render CPU s",
        "RSS cold MB",
        "RSS warm MB",
        "pages",
        "growth floor/cold/warm",
    ]
    return table(head, rows, "Scale: generated corpus (medians)")


def targets_table(targets: list[Target]) -> str:
    return table(["target", "measured", "limit", "result"], [t.row() for t in targets], "Targets")


def record(
    *,
    meta: dict[str, Any],
    site: SiteResult,
    cores: int,
    serve: ServeResult | None,
    figure_bytes: list[FigureBytes],
    sizes: list[SizeResult],
    targets: list[Target],
    notes: list[str],
) -> dict[str, Any]:
    """The JSON written to .cache/bench/latest.json (and docs/about/benchmark.json with --record)."""
    floor = site.series["floor"].median_s
    data: dict[str, Any] = {"schema": SCHEMA, **meta}
    data["builds"] = [
        {
            "id": k,
            "label": LABELS[k],
            "short": SHORT[k],
            "median_s": round(s.median_s, 3),
            "runs_s": [round(x, 3) for x in s.seconds],
            "ratio_to_floor": round(_ratio(s.median_s, floor), 3),
            "cpu_s": round(s.cpu_median_s, 3),
            "cpu_ratio_to_floor": round(_ratio(s.cpu_median_s, site.series["floor"].cpu_median_s), 3),
            "paired_ratio_to_floor": round(s.paired_ratio(site.series["floor"]), 3),
            "peak_rss_mb": round(s.peak_rss_mb, 1),
        }
        for k, s in site.series.items()
    ]
    data["single_render"] = {
        "sum_s": round(site.single_sum(), 3),
        "cores": cores,
        "figures": {k: round(median(v), 3) for k, v in sorted(site.singles.items())},
    }
    data["serve"] = []
    if serve is not None:
        for key, label, runs in (
            ("page_edit", PAGE_EDIT, serve.page_edit_s),
            ("figure_edit", FIGURE_EDIT, serve.figure_edit_s),
        ):
            data["serve"].append(
                {"id": key, "label": label, "median_s": round(median(runs), 3), "runs_s": [round(x, 3) for x in runs]}
            )
        data["serve_page"], data["serve_figure"] = serve.page, serve.figure
    _, total = bytes_rows(figure_bytes)
    data["bytes"] = {"figures": [asdict(r) for r in figure_bytes], "total": total}
    data["scale"] = [
        {
            "pages": z.pages,
            "figures": z.figures,
            **{f"{k}_s": round(z.series[k].median_s, 3) for k in ("floor", "cold", "warm")},
            "warm_to_floor": round(z.series["warm"].paired_ratio(z.series["floor"]), 3),
            **{f"{k}_cpu_s": round(z.series[k].cpu_median_s, 3) for k in ("floor", "cold", "warm")},
            "render_cpu_s": round(_render_cpu(z), 3),
            "peak_rss_mb": round(max(z.series["cold"].peak_rss_mb, z.series["warm"].peak_rss_mb), 1),
        }
        for z in sizes
    ]
    data["targets"] = [
        {
            "id": t.id,
            "label": t.label,
            "measured": round(t.measured, 3),
            "limit": round(t.limit, 3),
            "unit": t.unit,
            "pass": t.passed,
        }
        for t in targets
    ]
    data["notes"] = notes
    return data
