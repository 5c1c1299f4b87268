"""Python-Markdown extension: `![Caption](figure:name)` on a line of its own becomes a figure.

The output is a numbered `<figure>` with a light and a dark image (Material shows the one that
matches the palette through its `#only-light` / `#only-dark` convention), a caption, and a
collapsible text description derived from the diagram itself. Site search indexes that
description, so a label that appears only inside a picture still finds the page.

The extension reads the figures from the manifest: the file the pipeline writes, or, under the
MkDocs plugin, the figures that build rendered, handed over in memory (`manifest` is then a
mapping), so another process rewriting the cache during a build cannot change what its pages
show. It imports nothing from MkDocs, so it works under any Python-Markdown based generator.

While a page renders, a host that rebuilds incrementally (`mkdocs serve`, see
`site_extensions.page_inputs`) may hang a recorder on the Markdown instance as `md.page_inputs`;
each figure shown is reported to it as `figure:<name>` with `record_fingerprint` of its record.
Where the images are linked from depends on `url_base`:

- `/figures` (the default, and what the MkDocs plugin sets): absolute from the docs root
  (`/figures/name.svg`); MkDocs turns these into page-relative links when
  `validation.links.absolute_links` is `relative_to_docs`.
- `figures` (no leading slash): relative to the page's source file (`../figures/name.svg` in
  `containers/images.md`), for generators that rewrite relative links but leave absolute ones
  alone, such as Zensical. The page's path comes from the generator's rendering context when it
  exposes one (Zensical's context preprocessor, MkDocs' relative-path tree processor); otherwise
  the page is taken to sit at the docs root.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.util import AtomicString

from . import defaults

FIGURE_LINE = re.compile(r"^[ ]{0,3}!\[(?P<caption>(?:[^\]\\]|\\.)*)\]\(figure:(?P<name>[^)\s]*)\)[ \t]*$")
ANY_REFERENCE = re.compile(r"\]\(figure:(?P<name>[^)\s]*)\)")
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")

T = TypeVar("T")
_manifest_cache: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}


def read_when_changed(path: Path, memo: dict[str, tuple[tuple[int, int], T]], parse: Callable[[Path], T]) -> T:
    """`parse(path)`, kept in `memo` and parsed again only when the file's mtime or size changes
    (an extension reads the same data file for every page); FileNotFoundError when it is missing."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = memo.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    value = parse(path)
    memo[str(path)] = (stamp, value)
    return value


def take_line(
    processor: BlockProcessor, parent: etree.Element, blocks: list[str], line: re.Pattern[str]
) -> re.Match[str]:
    """For `BlockProcessor.run`: take the first line matching `line` out of the first block, parse
    the lines before it as ordinary blocks, put the lines after it back; the line's match."""
    lines = blocks.pop(0).split("\n")
    index = next(i for i, text in enumerate(lines) if line.match(text))
    if lines[index + 1 :]:
        blocks.insert(0, "\n".join(lines[index + 1 :]))
    if lines[:index]:
        processor.parser.parseBlocks(parent, ["\n".join(lines[:index])])
    match = line.match(lines[index])
    assert match is not None
    return match


def _figures_of(path: Path) -> dict[str, Any]:
    figures: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")).get("figures", {})
    return figures


def load_manifest(path: str) -> dict[str, Any]:
    """Figures from the manifest at `path`, re-read only when the file changes."""
    try:
        return read_when_changed(Path(path), _manifest_cache, _figures_of)
    except FileNotFoundError:
        return {}


def record_fingerprint(record: Mapping[str, Any] | None) -> str:
    """A short hash of everything a page shows about one figure (None: the figure is unknown)."""
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]


class FenceTracker:
    """Follows fenced code blocks line by line, as CommonMark closes them: only on a fence of the
    opening's character, at least as long, with no info string (so a ```` fence can show ```)."""

    def __init__(self) -> None:
        self._open: str | None = None

    @property
    def inside(self) -> bool:
        """Whether a fenced block is open after the lines seen so far."""
        return self._open is not None

    def in_code(self, line: str) -> bool:
        """Whether `line` opens, closes or lies inside a fenced code block."""
        match = FENCE.match(line)
        if self._open is None:
            if match is None or (match["fence"][0] == "`" and "`" in match["info"]):
                return False  # a backtick fence's info string cannot hold a backtick: inline code
            self._open = match["fence"]
            return True
        if match and not match["info"].strip() and match["fence"].startswith(self._open):
            self._open = None
        return True


def without_fenced_code(text: str) -> str:
    """`text` with each line of its fenced code blocks, fences included, emptied (line numbers stay)."""
    fences = FenceTracker()
    return "\n".join("" if fences.in_code(line) else line for line in text.split("\n"))


def find_references(markdown_text: str) -> list[tuple[int, str, bool]]:
    """Every `figure:` reference as (line number, name, stands on a line of its own).

    Lines inside fenced code blocks are skipped, so documentation can show the syntax.
    """
    found = []
    fences = FenceTracker()
    for number, line in enumerate(markdown_text.splitlines(), start=1):
        if fences.in_code(line):
            continue
        for match in ANY_REFERENCE.finditer(line):
            found.append((number, match.group("name"), bool(FIGURE_LINE.match(line))))
    return found


def page_source_path(md: Markdown) -> str | None:
    """The source path of the page being converted, relative to the docs folder, if known.

    Looked up by duck typing, so nothing here imports a site generator.
    """
    for processor in md.preprocessors:  # Zensical: the rendering-context preprocessor's page
        path = getattr(getattr(processor, "page", None), "path", None)
        if isinstance(path, str):
            return path
    for tree_processor in md.treeprocessors:  # MkDocs: the relative-path tree processor's file
        path = getattr(getattr(tree_processor, "file", None), "src_uri", None)
        if isinstance(path, str):
            return path
    return None


PHONE_COLUMN_PX = defaults.PHONE_COLUMN_PX
PHONE_MIN_TEXT_PX = 11


def phone_text_px(meta: dict[str, Any]) -> float:
    """The figure's smallest text in px on a 390 px phone (from the figure lint's metrics)."""
    natural = meta.get("lint", {}).get("metrics", {}).get("smallest_text_natural_px")
    width = meta.get("width") or 0
    if not natural or not width:
        return float(PHONE_MIN_TEXT_PX)
    return float(natural) * min(1.0, PHONE_COLUMN_PX / width)


def figure_url(url_base: str, filename: str, page_path: str | None) -> str:
    """Where a page links a figure file: absolute from the docs root, or relative to the page."""
    base = url_base.rstrip("/")
    if base.startswith("/"):
        return f"{base}/{filename}"
    depth = page_path.replace("\\", "/").count("/") if page_path else 0
    return "../" * depth + (f"{base}/" if base else "") + filename


def suggest(name: str, known: list[str]) -> str:
    """A 'did you mean' phrase for an unknown figure name."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    return f"did you mean {', '.join(close)}?" if close else "figures are the scripts in the diagrams folder"


class FigureProcessor(BlockProcessor):
    """Turns a figure line into the figure markup."""

    def __init__(self, parser: Any, extension: FigureExtension) -> None:
        super().__init__(parser)
        self.extension = extension
        self.count = 0
        self.ids: set[str] = set()

    def test(self, parent: etree.Element, block: str) -> bool:
        # Called for every block of every page: a substring check first keeps that cheap.
        return "](figure:" in block and any(FIGURE_LINE.match(line) for line in block.split("\n"))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        match = take_line(self, parent, blocks, FIGURE_LINE)
        self._figure(parent, match.group("name"), match.group("caption"))

    def _unique_id(self, name: str) -> str:
        base = f"figure-{name}"
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def _figure(self, parent: etree.Element, name: str, caption: str) -> None:
        figures = self.extension.figures()
        record = figures.get(name)
        inputs = getattr(self.parser.md, "page_inputs", None)
        if inputs is not None:
            inputs.used(f"figure:{name}", record_fingerprint(record))
        if record is not None and record.get("status") == "pending":
            self._pending_box(parent, name, record)
            return
        if record is None or record.get("status") != "ok":
            self._error_box(parent, name, record, sorted(figures))
            return
        self.count += 1
        meta = record["meta"]
        element_id = self._unique_id(name)
        text_id = f"{element_id}-text"
        base = self.extension.getConfig("url_base")
        page_path = None if base.startswith("/") else page_source_path(self.parser.md)
        zoom_cue = phone_text_px(meta) < PHONE_MIN_TEXT_PX
        classes = "nutshell-figure nutshell-figure--zoom" if zoom_cue else "nutshell-figure"
        figure = etree.SubElement(parent, "figure", {"class": classes, "id": element_id})
        for variant, suffix in (("light", ".svg"), ("dark", ".dark.svg")):
            url = figure_url(base, f"{name}{suffix}", page_path) + f"#only-{variant}"
            # A link to the SVG itself: full size in any browser; the site's script opens it in a dialog.
            link = etree.SubElement(figure, "a", {"class": f"figure-open figure-open--{variant}", "href": url})
            # The first figure is often the largest paint above the fold: fetch it at once and
            # first. Its dark twin stays lazy: hidden in the light palette, it would compete for
            # bandwidth without being shown (a lazy image that becomes visible loads then).
            lead = self.count == 1 and variant == "light"
            image = etree.SubElement(
                link,
                "img",
                {
                    "src": url,
                    "alt": meta["title"],
                    "width": str(meta["width"]),
                    "height": str(meta["height"]),
                    "loading": "eager" if lead else "lazy",
                    "decoding": "async",
                    "aria-describedby": text_id,
                },
            )
            if lead:
                image.set("fetchpriority", "high")
            if zoom_cue:  # shown on phones only (figures.css); the link it sits in opens the dialog
                cue = etree.SubElement(link, "span", {"class": "figure-zoom-cue", "aria-hidden": "true"})
                cue.text = "Tap to enlarge"
        figcaption = etree.SubElement(figure, "figcaption")
        number = etree.SubElement(figcaption, "span", {"class": "figure-number"})
        number.text = f"Figure {self.count}."
        number.tail = " " + caption
        self._description(figure, text_id, meta["description"])
        if record.get("updating"):
            self._updating_note(parent, record)

    def _description(self, figure: etree.Element, text_id: str, description: dict[str, Any]) -> None:
        details = etree.SubElement(figure, "details", {"class": "figure-text", "id": text_id})
        summary = etree.SubElement(details, "summary")
        summary.text = f"Text description of figure {self.count}"
        intro = etree.SubElement(details, "p")
        intro.text = self._literal(description["summary"])
        items = []
        for group in description["groups"]:
            where = f" (inside {group['within']})" if group["within"] else ""
            parts = group["members"] + [f"the group {g}" for g in group["groups"]]
            items.append(f"Group {group['label']}{where}: {', '.join(parts) or 'empty'}.")
        if description["ungrouped"]:
            items.append(f"Outside any group: {', '.join(description['ungrouped'])}.")
        self._list(details, f"Parts of figure {self.count}:", items)
        self._list(details, f"Connections in figure {self.count}:", [c + "." for c in description["connections"]])

    def _list(self, details: etree.Element, heading: str, items: list[str]) -> None:
        if not items:
            return
        # Material's search result shows only the block around a match: a list with the text
        # before it. A <div> label (not a <p>, which would be a block of its own) joins that
        # block, so a hit on a figure label says which figure it comes from.
        label = etree.SubElement(details, "div", {"class": "figure-text-label"})
        label.text = heading
        ul = etree.SubElement(details, "ul")
        for item in items:
            etree.SubElement(ul, "li").text = self._literal(item)

    @staticmethod
    def _literal(text: str) -> AtomicString:
        # Labels and error text are shown literally: no Markdown inline processing.
        return AtomicString(text)

    def _updating_note(self, parent: etree.Element, record: dict[str, Any]) -> None:
        # Only `mkdocs serve` hands over such records: its script changed and the new render is not ready.
        note = etree.SubElement(parent, "p", {"class": "figure-updating", "role": "status"})
        note.text = self._literal(
            f"{record.get('script', 'The script')} changed and is being rendered again; this is the last good "
            "picture. The page reloads when the new one is ready, or shows what went wrong."
        )

    def _pending_box(self, parent: etree.Element, name: str, record: dict[str, Any]) -> None:
        box = etree.SubElement(parent, "div", {"class": "admonition info figure-pending", "role": "status"})
        etree.SubElement(box, "p", {"class": "admonition-title"}).text = self._literal(
            f"Figure '{name}' is being rendered"
        )
        etree.SubElement(box, "p").text = self._literal(
            f"{record.get('script', name)} has no good picture yet; the page reloads when the render finishes."
        )

    def _error_box(self, parent: etree.Element, name: str, record: dict[str, Any] | None, known: list[str]) -> None:
        box = etree.SubElement(parent, "div", {"class": "admonition failure figure-error", "role": "alert"})
        title = etree.SubElement(box, "p", {"class": "admonition-title"})
        body = etree.SubElement(box, "p")
        if record is None:
            title.text = self._literal(f"Unknown figure '{name}'")
            body.text = self._literal(f"No script diagrams/{name}.py was rendered; {suggest(name, known)}")
            return
        problem = record.get("problem") or {}
        title.text = self._literal(f"Figure '{name}' could not be rendered")
        location = problem.get("script", record.get("script", name))
        if problem.get("line"):
            location += f":{problem['line']}"
        code = etree.SubElement(body, "code")
        code.text = location
        code.tail = self._literal(f" {problem.get('message', 'unknown error')}")
        if problem.get("hint"):
            etree.SubElement(box, "p").text = self._literal(f"Fix: {problem['hint']}")


class FigureExtension(Extension):
    """Registers the figure block processor."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "manifest": [
                defaults.MANIFEST,
                "Path of the figure manifest written by the pipeline, or its figures themselves: a mapping of "
                "name to record, which the MkDocs plugin passes so that every page of a build shows what that "
                "build rendered",
            ],
            "url_base": [
                defaults.URL_BASE,
                "Where the figures are published in the docs tree: '/figures' links them absolute from the "
                "docs root (MkDocs), 'figures' relative to each page's source file (Zensical)",
            ],
        }
        super().__init__(**kwargs)

    def figures(self) -> Mapping[str, Any]:
        """The figures by name: the mapping handed over in memory, else the manifest file's."""
        source = self.getConfig("manifest")
        return source if isinstance(source, Mapping) else load_manifest(source)

    def extendMarkdown(self, md: Markdown) -> None:
        processor = FigureProcessor(md.parser, self)
        md.parser.blockprocessors.register(processor, "nutshell_figure", 75)
        md.registerExtension(self)
        self.processor = processor

    def reset(self) -> None:
        self.processor.count = 0
        self.processor.ids.clear()


def makeExtension(**kwargs: Any) -> FigureExtension:
    """Entry point Python-Markdown calls for `figure_pipeline.markdown`."""
    return FigureExtension(**kwargs)
