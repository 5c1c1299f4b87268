"""`mkdocs serve` latency, measured in headless Chromium from the file write to the DOM change.

A page edit appends a paragraph with a fresh token and waits until the reloaded page shows it.
A figure edit changes one node label in a figure script to a fresh value and waits until the
reloaded page's text description of that figure has the new label and its image has loaded;
the SVG the browser fetched after the edit is then checked for the new label, so a stale
cached image would be caught rather than counted.
"""

from __future__ import annotations

import ast
import contextlib
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from figure_pipeline.markdown import find_references

from ..common import (
    CHROMIUM_ARGS,
    ServerDidNotStart,
    chromium_executable,
    free_port,
    site_prefix,
    start_mkdocs_serve,
    wait_until_serving,
)
from .builds import variant_options
from .runs import base_env, say
from .variants import Variant

STYLE_CALLS = {"figure", "group", "flow"}


@dataclass
class ServeResult:
    page_edit_s: list[float] = field(default_factory=list)
    figure_edit_s: list[float] = field(default_factory=list)
    page: str = ""
    figure: str = ""
    notes: list[str] = field(default_factory=list)


def pick_figure(docs: Path) -> tuple[Path, str]:
    """The first page (home page first) that shows a figure, and that figure's name."""
    pages = sorted(docs.rglob("*.md"), key=lambda p: (p.name != "index.md" or p.parent != docs, str(p)))
    for page in pages:
        for _, name, standalone in find_references(page.read_text(encoding="utf-8")):
            if standalone:
                return page, name
    raise SystemExit(f"no page under {docs} shows a figure")


def label_literal(source: str) -> ast.Constant:
    """The first node label in a figure script: a string passed to a node class (not to the style)."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        first = node.args[0]
        if func in STYLE_CALLS or not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            continue
        if first.value and not set(first.value) & set("\n&<>\"'\\") and first.lineno == first.end_lineno:
            return first
    raise ValueError("no node label found in the script")


def relabel(source: str, suffix: str) -> tuple[str, str]:
    """The script with its first node label extended by `suffix`, and the new label."""
    literal = label_literal(source)
    lines = source.splitlines(keepends=True)
    line = lines[literal.lineno - 1]
    assert literal.end_lineno == literal.lineno and literal.end_col_offset is not None
    new_label = f"{literal.value} {suffix}"
    start, end = _char_offsets(line, literal.col_offset, literal.end_col_offset)
    lines[literal.lineno - 1] = line[:start] + repr(new_label) + line[end:]
    return "".join(lines), new_label


def _char_offsets(line: str, start_byte: int, end_byte: int) -> tuple[int, int]:
    raw = line.encode("utf-8")
    return len(raw[:start_byte].decode("utf-8")), len(raw[:end_byte].decode("utf-8"))


def _page_url(base: str, docs: Path, page: Path) -> str:
    rel = page.relative_to(docs).with_suffix("").as_posix()
    if rel == "index":
        return base
    if rel.endswith("/index"):
        return base + rel.removesuffix("index")
    return base + rel + "/"


def _start(variant: Variant, port: int) -> subprocess.Popen[bytes]:
    return start_mkdocs_serve(variant.root, port, variant.root.parent / "serve.log", env=base_env())  # as `make serve`


def measure_serve(variant: Variant, repeats: int, settle_s: float = 2.0) -> ServeResult:
    """Page-edit and figure-edit latency on a warm copy of the site (its figure cache filled)."""
    from playwright.sync_api import sync_playwright

    docs = variant.root / "docs"
    page, figure = pick_figure(docs)
    script = variant_options(variant).scripts_dir / f"{figure}.py"
    result = ServeResult(page=page.relative_to(docs).as_posix(), figure=figure)
    port = free_port()
    base = f"http://127.0.0.1:{port}{site_prefix(variant.config_file, os.environ)}"  # `mkdocs serve` mounts it
    proc = _start(variant, port)
    try:
        try:
            wait_until_serving(base, proc, variant.root.parent / "serve.log")
        except ServerDidNotStart as exc:
            raise SystemExit(f"mkdocs serve: {exc}") from None
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
            tab = browser.new_page()
            svgs: list[tuple[float, bytes]] = []
            light = f"/{figure}.svg"

            def on_response(response: object) -> None:
                url = getattr(response, "url", "")
                if url.split("#")[0].endswith(light):
                    # The page may navigate away before the body can be read.
                    with contextlib.suppress(Exception):
                        svgs.append((time.perf_counter(), response.body()))  # type: ignore[attr-defined]

            tab.on("response", on_response)
            tab.goto(_page_url(base, docs, page), wait_until="load")
            selector = f"#figure-{figure}"
            tab.wait_for_selector(f"{selector} img", timeout=60000)
            for i in range(repeats):
                time.sleep(settle_s)
                token = f"benchedit{i}x{int(time.time())}"
                started = time.perf_counter()
                with page.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n\nBench edit {token}.\n")
                tab.wait_for_function(f"document.body.innerText.includes({token!r})", polling=20, timeout=120000)
                result.page_edit_s.append(time.perf_counter() - started)
                tab.wait_for_load_state("load")

                time.sleep(settle_s)
                new_source, label = relabel(script.read_text(encoding="utf-8"), f"v{i}")
                condition = (
                    f"(() => {{ const f = document.querySelector({selector!r});"
                    f" if (!f) return false; const img = f.querySelector('img');"
                    f" return f.textContent.includes({label!r}) && img.complete && img.naturalWidth > 0; }})()"
                )
                started = time.perf_counter()
                script.write_text(new_source, encoding="utf-8")
                tab.wait_for_function(condition, polling=20, timeout=120000)
                result.figure_edit_s.append(time.perf_counter() - started)
                tab.wait_for_load_state("load")
                fresh = [body for when, body in svgs if when >= started]
                if not any(label.encode() in body for body in fresh):
                    result.notes.append(f"figure edit {i + 1}: the SVG fetched after the edit lacked the new label")
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    say(
        f"serve: page edit {[round(s, 2) for s in result.page_edit_s]}, figure edit "
        f"{[round(s, 2) for s in result.figure_edit_s]}"
    )
    return result
