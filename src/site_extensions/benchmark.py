"""`[[benchmark]]` on a line of its own becomes the recorded build benchmark, as HTML.

Syntax (each on a line of its own, outside code blocks)::

    [[benchmark]]                  the build-time table and a bar chart of the same numbers
    [[benchmark builds chart]]     the same, parts named explicitly, in that order
    [[benchmark targets]]          the targets with PASS or MISS
    [[benchmark scale]]            cold, warm and floor builds of generated corpora
    [[benchmark serve]]            `mkdocs serve` edit-to-browser latency
    [[benchmark bytes]]            figure bytes: our SVG against diagrams' PNG and raw SVG

The numbers come from the JSON file that `make bench ARGS=--record` writes (its format is
`site_extensions.benchmark_record`, shared with the writer in `tools/bench`) (option `data`,
default `docs/about/benchmark.json`, relative to the directory the build runs in). A missing
or malformed file stops the build with an error that names the file and what is wrong.

The chart is inline SVG with `role="img"`, a title and a description that lists every value,
coloured with Material's CSS variables so it follows the light and dark palettes. Like the
figure extension, this imports nothing from MkDocs.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.util import AtomicString

from figure_pipeline.markdown import read_when_changed, take_line

from . import benchmark_record

LINE = re.compile(r"^[ ]{0,3}\[\[benchmark(?P<parts>(?:[ \t]+[a-z]+)*)[ \t]*\]\][ \t]*$")
PARTS = ("builds", "chart", "targets", "scale", "serve", "bytes")
DEFAULT_PARTS = ("builds", "chart")
COLOURS = {  # at least 3:1 against both Material palettes' backgrounds, except where noted
    "floor": "#8c959f",
    "prior": "#bc4c00",
    "ours": "var(--md-primary-fg-color, #4051b5)",  # the site's own colour; values are also written as text
}


class BenchmarkReportError(Exception):
    """The benchmark data file is missing or malformed; the message names the file."""


_cache: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}


def _fail(path: Path, problem: str) -> BenchmarkReportError:
    return BenchmarkReportError(f"benchmark report: {path}: {problem}; re-create it with `make bench ARGS=--record`")


def _check(path: Path, data: Any) -> dict[str, Any]:
    try:
        return benchmark_record.check(data)
    except benchmark_record.RecordError as exc:
        raise _fail(path, str(exc)) from None


def _parse(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, f"cannot be read ({exc})") from None
    return _check(path, data)


def load(path: Path) -> dict[str, Any]:
    """The checked benchmark data at `path`, re-read only when the file changes."""
    try:
        return read_when_changed(path, _cache, _parse)
    except FileNotFoundError:
        raise _fail(path, "file not found") from None


def _s(value: float) -> str:
    return f"{value:.2f}"


_TIMES = re.compile(r"(?<=[\s\d)(])x(?=[\s\d(])")


def _pretty(label: str) -> str:
    """Terminal-friendly labels from the benchmark (`<=`, `->`, ` x `) in typographic form."""
    return _TIMES.sub("×", label.replace("<=", "≤").replace("->", "→"))


def _text(element: etree.Element, text: str) -> etree.Element:
    element.text = AtomicString(text)
    return element


def _table(parent: etree.Element, caption: str, head: list[str], rows: list[list[str]]) -> None:
    table = etree.SubElement(parent, "table")
    _text(etree.SubElement(table, "caption"), caption)
    tr = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for cell in head:
        _text(etree.SubElement(tr, "th"), cell)
    body = etree.SubElement(table, "tbody")
    for row in rows:
        tr = etree.SubElement(body, "tr")
        for cell in row:
            _text(etree.SubElement(tr, "td"), cell)


def _group(build_id: str) -> str:
    return "floor" if build_id == "floor" else "prior" if build_id.startswith("prior") else "ours"


class BenchmarkProcessor(BlockProcessor):
    """Turns a `[[benchmark ...]]` line into tables and a chart."""

    def __init__(self, parser: Any, extension: BenchmarkExtension) -> None:
        super().__init__(parser)
        self.extension = extension
        self.charts = 0

    def test(self, parent: etree.Element, block: str) -> bool:
        return any(LINE.match(line) for line in block.split("\n"))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        match = take_line(self, parent, blocks, LINE)
        parts = tuple(match.group("parts").split()) or DEFAULT_PARTS
        unknown = [p for p in parts if p not in PARTS]
        if unknown:
            raise BenchmarkReportError(
                f"benchmark report: unknown part '{unknown[0]}' in '{match.group(0).strip()}'; "
                f"use any of: {', '.join(PARTS)}"
            )
        path = self.extension.data_path()
        inputs = getattr(self.parser.md, "page_inputs", None)
        if inputs is not None:  # `load` may answer from memory, without opening the file
            inputs.read(path)
        data = load(path)
        render = {
            "builds": self._builds,
            "chart": self._chart,
            "targets": self._targets,
            "scale": self._scale,
            "serve": self._serve,
            "bytes": self._bytes,
        }  # one renderer for each name in PARTS
        for part in parts:
            render[part](parent, data)

    def _about(self, data: dict[str, Any], repeats_key: str = "repeats") -> str:
        machine = data["machine"]
        cores = machine.get("cores", "?")
        system = machine.get("os", "")
        runs = data.get(repeats_key, data["repeats"])
        return (
            f"median of {runs} run{'s' if runs != 1 else ''}, recorded {data['recorded']} "
            f"on {cores} cores{', ' + system if system else ''}"
        )

    def _builds(self, parent: etree.Element, data: dict[str, Any]) -> None:
        rows = []
        for build in data["builds"]:
            runs = build["runs_s"]
            spread = f"{_s(min(runs))}–{_s(max(runs))}" if runs else "–"
            rows.append([build["label"], _s(build["median_s"]), spread, f"{build['ratio_to_floor']:.2f}×"])
        site = data.get("site", {})
        what = f"{site.get('pages', '?')} pages, {site.get('figures', '?')} figures" if site else "the site"
        _table(
            parent,
            f"Build times of this site ({what}); {self._about(data)}",
            ["Build", "Median (s)", "Range (s)", "Compared with the floor"],
            rows,
        )

    def _chart(self, parent: etree.Element, data: dict[str, Any]) -> None:
        self.charts += 1
        ident = f"benchmark-chart-{self.charts}"
        builds = data["builds"]
        top = max(b["median_s"] for b in builds) or 1.0
        label_w, bar_w, row_h, pad = 230, 330, 30, 8
        width, height = label_w + bar_w + 70, pad * 2 + row_h * len(builds)
        svg = etree.Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "viewBox": f"0 0 {width} {height}",
                "role": "img",
                "aria-labelledby": f"{ident}-title {ident}-desc",
                "class": "benchmark-chart",
                "width": str(width),
                "style": "max-width: 100%; height: auto; font-size: 13px;",
            },
        )
        _text(etree.SubElement(svg, "title", {"id": f"{ident}-title"}), "Median build time in seconds, per build")
        desc = "; ".join(f"{b.get('short') or b['label']}: {_s(b['median_s'])} s" for b in builds)
        _text(etree.SubElement(svg, "desc", {"id": f"{ident}-desc"}), desc + ".")
        for i, build in enumerate(builds):
            y = pad + i * row_h
            length = max(1.0, build["median_s"] / top * bar_w)
            text_style = "fill: var(--md-default-fg-color, currentColor);"
            _text(
                etree.SubElement(
                    svg, "text", {"x": str(label_w - 8), "y": str(y + 19), "text-anchor": "end", "style": text_style}
                ),
                build.get("short") or build["label"],
            )
            etree.SubElement(
                svg,
                "rect",
                {
                    "x": str(label_w),
                    "y": str(y + 5),
                    "width": f"{length:.1f}",
                    "height": str(row_h - 10),
                    "rx": "3",
                    "style": f"fill: {COLOURS[_group(build['id'])]};",
                },
            )
            _text(
                etree.SubElement(
                    svg, "text", {"x": f"{label_w + length + 6:.1f}", "y": str(y + 19), "style": text_style}
                ),
                f"{_s(build['median_s'])} s",
            )
        figure = etree.Element("figure", {"class": "benchmark-chart"})
        figure.append(svg)
        _text(
            etree.SubElement(figure, "figcaption"),
            "Median build time of this site, in seconds (shorter is faster). The table above has the same numbers.",
        )
        holder = etree.SubElement(parent, "p")
        holder.text = self.parser.md.htmlStash.store(etree.tostring(figure, encoding="unicode", method="html"))

    def _targets(self, parent: etree.Element, data: dict[str, Any]) -> None:
        rows = []
        for t in data["targets"]:
            unit = f" {t['unit']}" if t["unit"] != "x" else "×"
            rows.append(
                [
                    _pretty(t["label"]),
                    f"{t['measured']:.2f}{unit}",
                    f"{t['limit']:.2f}{unit}",
                    "PASS" if t["pass"] else "MISS",
                ]
            )
        _table(parent, f"Performance targets; {self._about(data)}", ["Target", "Measured", "Limit", "Result"], rows)

    def _scale(self, parent: etree.Element, data: dict[str, Any]) -> None:
        rows = []
        for z in data["scale"]:
            cpu = z.get("warm_cpu_s", 0) / z["floor_cpu_s"] if z.get("floor_cpu_s") else None
            render = z.get("render_cpu_s")
            rows.append(
                [
                    str(z["pages"]),
                    str(z["figures"]),
                    _s(z["floor_s"]),
                    _s(z["cold_s"]),
                    _s(z["warm_s"]),
                    f"{z['warm_to_floor']:.2f}×",
                    f"{cpu:.2f}×" if cpu is not None else "–",
                    _s(render) if render is not None else "–",
                    f"{z['peak_rss_mb']:.0f}",
                ]
            )
        head = ["Pages", "Figures", "Floor (s)", "Cold (s)", "Warm (s)", "Warm ÷ floor", "Warm ÷ floor, CPU time"]
        head += ["Render CPU (s)", "Peak memory (MB)"]
        _table(parent, f"Generated corpora; {self._about(data, 'scale_repeats')}", head, rows)

    def _serve(self, parent: etree.Element, data: dict[str, Any]) -> None:
        rows = [[_pretty(s["label"]), _s(s["median_s"]), ", ".join(_s(r) for r in s["runs_s"])] for s in data["serve"]]
        _table(
            parent,
            "mkdocs serve: from saving a file to the browser showing the change",
            ["Edit", "Median (s)", "Runs (s)"],
            rows,
        )

    def _bytes(self, parent: etree.Element, data: dict[str, Any]) -> None:
        total = data["bytes"].get("total", {})
        ours = total.get("ours_svg") or 1
        names = [
            ("ours_svg", "Our SVG, light (icons embedded, text as text)"),
            ("ours_dark_svg", "Our SVG, dark variant"),
            ("ours_svg_gzip", "Our SVG, light, gzip-compressed as served"),
            ("png", "diagrams PNG (outformat png)"),
            ("raw_svg", "diagrams raw SVG (icons missing in a browser)"),
            ("raw_svg_icons", "diagrams raw SVG plus the icon files it links"),
        ]
        rows = [
            [label, f"{total[key] / 1024:,.0f}", f"{total[key] / ours:.2f}×"] for key, label in names if key in total
        ]
        count = len(data["bytes"].get("figures", []))
        _table(
            parent, f"Bytes of all {count} figures together", ["Format", "Total (KiB)", "Compared with our SVG"], rows
        )


class BenchmarkExtension(Extension):
    """Registers the `[[benchmark]]` block processor."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"data": ["docs/about/benchmark.json", "The JSON file `make bench ARGS=--record` writes"]}
        super().__init__(**kwargs)

    def data_path(self) -> Path:
        return Path(self.getConfig("data"))

    def extendMarkdown(self, md: Markdown) -> None:
        self.processor = BenchmarkProcessor(md.parser, self)
        md.parser.blockprocessors.register(self.processor, "nutshell_benchmark", 74)
        md.registerExtension(self)

    def reset(self) -> None:
        self.processor.charts = 0


def makeExtension(**kwargs: Any) -> BenchmarkExtension:
    """Entry point Python-Markdown calls for `site_extensions.benchmark`."""
    return BenchmarkExtension(**kwargs)
