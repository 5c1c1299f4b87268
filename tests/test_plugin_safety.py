"""The MkDocs plugin with hostile or mistaken input: through the real `mkdocs build` command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from figure_pipeline import sandbox
from helpers import mkdocs

needs_bwrap = pytest.mark.skipif(
    sandbox.mode() != "require" and sandbox._probe() is not None, reason="bubblewrap cannot run here"
)


def _build(site: Path, *extra: str):
    return mkdocs("build", "--site-dir", str(site / "out"), *extra, cwd=site)


def _set_option(site: Path, text: str) -> None:
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - figures\n", f"  - figures:\n      {text}\n"))


@pytest.mark.parametrize("strict", [True, False])
def test_unknown_option_is_an_error_with_did_you_mean(fixture_site: Path, strict: bool) -> None:
    _set_option(fixture_site, "timeuot: 10")
    result = _build(fixture_site, *(["--strict"] if strict else []))
    assert result.returncode != 0, "a misspelt option must not be dropped silently"
    assert "unknown option 'timeuot' of the figures plugin; did you mean 'timeout'?" in result.stderr


def test_memory_limit_option_reaches_the_render(fixture_site: Path) -> None:
    _set_option(fixture_site, "memory_limit: 300")
    script = fixture_site / "diagrams" / "tiny_flow.py"
    script.write_text(script.read_text(encoding="utf-8") + "\nblob = b'x' * (400 * 2**20)\n", encoding="utf-8")
    result = _build(fixture_site, "--strict")
    assert result.returncode != 0
    assert "diagrams/tiny_flow.py:" in result.stderr and "the script used more than 300 MiB of memory" in result.stderr


@needs_bwrap
def test_script_cannot_change_a_page_and_its_stray_file_fails_the_strict_build(fixture_site: Path) -> None:
    """Case 7 of the reliability review: a script appended a <script> to a page and it was published."""
    page = fixture_site / "docs" / "index.md"
    original = page.read_text(encoding="utf-8")
    script = fixture_site / "diagrams" / "tiny_flow.py"
    script.write_text(
        script.read_text(encoding="utf-8")
        + f"""
try:
    with open({str(page)!r}, "a") as handle:
        handle.write("<script>INJECTED_BY_FIGURE</script>")
except OSError:
    pass
open("stray_in_cwd.txt", "w").write("x")
""",
        encoding="utf-8",
    )
    result = _build(fixture_site, "--strict")
    assert page.read_text(encoding="utf-8") == original
    assert "INJECTED_BY_FIGURE" not in (fixture_site / "out" / "index.html").read_text(encoding="utf-8")
    assert result.returncode != 0, "a stray file must be reported (a warning fails --strict)"
    assert "diagrams/tiny_flow.py: the script wrote files that were discarded: stray_in_cwd.txt" in result.stderr
    assert result.stderr.count("figure scripts run in a bubblewrap sandbox") == 1
    again = _build(fixture_site, "--strict")  # the figure is cached now: the warning comes with it
    assert again.returncode != 0 and "0 rendered, 1 cached" in again.stderr
    assert "the script wrote files that were discarded: stray_in_cwd.txt" in again.stderr
