"""`make figures-preview` (scripts/figures_preview.py) on a fixture repository with two figures:
PNGs for every variant and width, before/after pairs only for the changed figure, lint metrics,
and a one-line error for a ref that does not exist."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from helpers import BIN, ROOT

pytestmark = [pytest.mark.browser]

# Wider than the 688 px column, so the page shrinks it; and one that fits a phone as it is.
WIDE = """
from house_style import box, figure, request

with figure("Wide chain"):
    nodes = [box(f"stage number {i}") for i in range(6)]
    for left, right in zip(nodes, nodes[1:]):
        left >> request() >> right
"""
NARROW = """
from house_style import box, figure, request

with figure("Narrow pair", direction="TB"):
    box("{label}") >> request() >> box("b")
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose `main` has two figures; `narrow` is then edited in the work tree."""
    folder = tmp_path / "repo" / "diagrams"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "diagrams" / "house_style.py", folder / "house_style.py")
    (folder / "wide.py").write_text(WIDE, encoding="utf-8")
    (folder / "narrow.py").write_text(NARROW.replace("{label}", "a"), encoding="utf-8")
    _git(folder.parent, "init", "-q", "-b", "main")
    _git(folder.parent, "add", ".")
    _git(folder.parent, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "two figures")
    (folder / "narrow.py").write_text(NARROW.replace("{label}", "a longer label"), encoding="utf-8")
    return folder


def _preview(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "python"), str(ROOT / "scripts" / "figures_preview.py"), "--scripts", str(repo)]
    command += ["--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out"), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _width(png: Path) -> int:
    return struct.unpack(">I", png.read_bytes()[16:20])[0]  # the IHDR chunk's width


def test_preview_writes_every_variant_and_pairs_only_the_changed_figure(repo: Path, tmp_path: Path) -> None:
    result = _preview(repo, tmp_path, "--against", "main")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    after = {p.name for p in (out / "after").glob("*.png")}
    assert after == {f"{n}.{v}.{w}.png" for n in ("wide", "narrow") for v in ("light", "dark") for w in (688, 390)}
    before = {p.name for p in (out / "before").glob("*.png")}
    assert before == {f"narrow.{v}.{w}.png" for v in ("light", "dark") for w in (688, 390)}
    # The wide figure fills the 688 px column and the 358 px phone column; the narrow one keeps its size.
    assert _width(out / "after" / "wide.light.688.png") == 688
    assert _width(out / "after" / "wide.dark.390.png") == 358
    assert _width(out / "after" / "narrow.light.688.png") == _width(out / "after" / "narrow.light.390.png") < 358
    # Each variant is drawn on its page colour (the SVG itself is transparent).
    light = Image.open(out / "after" / "wide.light.688.png").convert("RGB").getpixel((0, 0))
    dark = Image.open(out / "after" / "wide.dark.688.png").convert("RGB").getpixel((0, 0))
    assert light == (255, 255, 255) and dark == (0x1E, 0x21, 0x29)  # Material's slate #1e2129 (test_palette)
    # Before and after differ for the edited figure: the longer label widens it.
    assert _width(out / "before" / "narrow.light.688.png") < _width(out / "after" / "narrow.light.688.png")
    metrics = json.loads((out / "lint.json").read_text(encoding="utf-8"))
    assert set(metrics) == {"wide", "narrow"}
    assert "before" in metrics["narrow"] and "before" not in metrics["wide"]
    assert metrics["wide"]["metrics"]["smallest_text_px"] < metrics["narrow"]["metrics"]["smallest_text_px"]


def test_preview_reports_an_unknown_ref_in_one_line_and_writes_nothing(repo: Path, tmp_path: Path) -> None:
    result = _preview(repo, tmp_path, "--against", "no-such-branch")
    assert result.returncode == 2
    assert "no-such-branch" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
