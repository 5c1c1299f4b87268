"""Every figure script in diagrams/: renders cleanly, is used by a page, follows the house rules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from figure_pipeline.markdown import find_references
from figure_pipeline.options import RenderOptions
from figure_pipeline.render import discover, render_all
from helpers import ROOT

DIAGRAMS = ROOT / "diagrams"
SCRIPTS = discover(DIAGRAMS, "house_style.py")


@pytest.fixture(scope="module")
def report():
    options = RenderOptions(scripts_dir=DIAGRAMS, cache_dir=ROOT / ".cache" / "plugin" / "figures")
    return render_all(options)


def _references() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for line, name, _ in find_references(page.read_text(encoding="utf-8")):
            used.setdefault(name, []).append(f"{page.relative_to(ROOT)}:{line}")
    return used


def test_there_are_figures() -> None:
    assert len(SCRIPTS) >= 3


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_figure_renders(report, name: str) -> None:
    result = report.results[name]
    assert result.problem is None, result.problem.describe() if result.problem else ""
    meta = result.entry.meta()
    assert meta["title"], "figure(title) must give the picture an accessible name"
    assert meta["model"]["nodes"], "a figure needs at least one node"
    svg = result.entry.light_svg.read_text(encoding="utf-8")
    assert "site-packages" not in svg


MAX_WIDTH_PX = 1100  # shown in a ~700 px column: wider figures shrink their labels below legibility


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_figure_fits_the_text_column(report, name: str) -> None:
    meta = report.results[name].entry.meta()
    assert meta["width"] <= MAX_WIDTH_PX, (
        f"{name} is {meta['width']} px wide; lay it out top to bottom or split long rows (at most {MAX_WIDTH_PX} px)"
    )


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_figure_script_follows_house_rules(name: str) -> None:
    source = SCRIPTS[name].read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert ast.get_docstring(tree), f"{name}.py needs a module docstring saying what it shows"
    imports = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "house_style" in imports, f"{name}.py must use the house style (from house_style import figure ...)"
    assert "show=" not in source and "outformat" not in source, "rendering options belong to the pipeline"


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_every_figure_is_used_by_a_page(name: str) -> None:
    assert name in _references(), f"diagrams/{name}.py is not embedded in any page: add ![Caption](figure:{name})"


def test_every_reference_has_a_script() -> None:
    missing = {name: where for name, where in _references().items() if name not in SCRIPTS}
    assert not missing, f"pages reference figures with no script: {missing}"


def test_every_reference_stands_alone_with_a_caption() -> None:
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for line, name, standalone in find_references(text):
            assert standalone, f"{page.relative_to(ROOT)}:{line}: figure '{name}' must be on its own line"
        for caption in re.findall(r"^!\[([^\]]*)\]\(figure:", text, re.M):
            assert len(caption.split()) >= 4, f"{page.relative_to(ROOT)}: give figures a full-sentence caption"


def test_diagrams_folder_never_shadows_the_library() -> None:
    assert not (DIAGRAMS / "__init__.py").exists()
    code = "import diagrams, sys; print(diagrams.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "site-packages" in out.stdout
