"""Fixture sites built through the real `mkdocs` command line."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from helpers import mkdocs


def _build(site: Path, *extra: str):
    return mkdocs("build", "--strict", "--site-dir", str(site / "out"), *extra, cwd=site)


def test_strict_build_publishes_relative_figures(fixture_site: Path) -> None:
    result = _build(fixture_site)
    assert result.returncode == 0, (
        f"replicate with: mkdocs build --strict -f {fixture_site}/mkdocs.yml\n{result.stderr}"
    )
    out = fixture_site / "out"
    assert (out / "figures" / "tiny_flow.svg").is_file()
    assert (out / "figures" / "tiny_flow.dark.svg").is_file()
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    nested = BeautifulSoup((out / "section" / "page" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("figure img")["src"] == "figures/tiny_flow.svg#only-light"
    assert nested.select_one("figure img")["src"] == "../../figures/tiny_flow.svg#only-light"
    # The fenced example is shown as code, not turned into a figure.
    assert "figure:not_a_figure" in home.get_text()
    assert "1 rendered" in result.stderr


def test_second_build_uses_the_cache_and_docs_stay_untouched(fixture_site: Path) -> None:
    before = sorted(p.relative_to(fixture_site) for p in (fixture_site / "docs").rglob("*"))
    assert _build(fixture_site).returncode == 0
    second = _build(fixture_site)
    assert second.returncode == 0
    assert "0 rendered, 1 cached" in second.stderr
    after = sorted(p.relative_to(fixture_site) for p in (fixture_site / "docs").rglob("*"))
    assert before == after
    assert not list((fixture_site / "diagrams").glob("*.png"))
    assert not list((fixture_site / "diagrams").glob("*.svg"))


def test_broken_script_fails_strict_build_naming_script_and_line(fixture_site: Path) -> None:
    script = fixture_site / "diagrams" / "tiny_flow.py"
    script.write_text(script.read_text(encoding="utf-8").replace('Pod("quokka service")', "Pod(undefined_name)"))
    result = _build(fixture_site)
    assert result.returncode != 0
    assert "diagrams/tiny_flow.py:11: NameError: name 'undefined_name' is not defined" in result.stderr


def test_broken_script_still_builds_without_strict_and_shows_the_error(fixture_site: Path) -> None:
    script = fixture_site / "diagrams" / "tiny_flow.py"
    script.write_text(script.read_text(encoding="utf-8").replace("with figure", "with figure(", 1))
    result = mkdocs("build", "--site-dir", str(fixture_site / "out"), cwd=fixture_site)
    assert result.returncode == 0
    html = (fixture_site / "out" / "index.html").read_text(encoding="utf-8")
    assert "could not be rendered" in html and "syntax error" in html


def test_unknown_figure_fails_strict_build_naming_page_and_line(fixture_site: Path) -> None:
    page = fixture_site / "docs" / "section" / "page.md"
    page.write_text(page.read_text(encoding="utf-8").replace("figure:tiny_flow", "figure:tiny_flwo"))
    result = _build(fixture_site)
    assert result.returncode != 0
    assert "docs/section/page.md:5: unknown figure 'tiny_flwo'; did you mean tiny_flow?" in result.stderr


def test_inline_figure_reference_is_rejected(fixture_site: Path) -> None:
    page = fixture_site / "docs" / "section" / "page.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee ![this](figure:tiny_flow) inline.\n")
    result = _build(fixture_site)
    assert result.returncode != 0
    assert "must stand on a line of its own" in result.stderr


def test_bad_plugin_option_names_the_option(fixture_site: Path) -> None:
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - figures\n", "  - figures:\n      timeout: -5\n"))
    result = _build(fixture_site)
    assert result.returncode != 0
    assert "timeout must be between 0 and 3600 seconds" in result.stderr


def test_cli_renders_without_mkdocs(fixture_site: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "figures"
    result = subprocess.run(
        [sys.executable, "-m", "figure_pipeline", "render", "--out", str(out)],
        cwd=fixture_site,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["tiny_flow.dark.svg", "tiny_flow.svg"]
    assert "1 figures: 1 rendered" in result.stdout


def test_cli_concurrency_is_the_plugin_option_name_and_old_workers_still_works(fixture_site: Path) -> None:
    import subprocess
    import sys

    def render(*flags: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "figure_pipeline", "render", *flags]
        return subprocess.run(command, cwd=fixture_site, capture_output=True, text=True, check=False)

    current = render("--concurrency", "1")
    assert current.returncode == 0, current.stderr
    assert "deprecated" not in current.stderr
    old = render("--workers", "1")
    assert old.returncode == 0, old.stderr
    assert "--workers is deprecated: use --concurrency" in old.stderr
    bad = render("--workers", "-1")
    assert bad.returncode == 2
    assert "concurrency must be 0 (one per core) or more, not -1" in bad.stderr, "the old name must reach validation"


def test_cli_prune_deletes_only_the_entries_no_script_uses(fixture_site: Path) -> None:
    import shutil
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "figure_pipeline", *args]
        return subprocess.run(command, cwd=fixture_site, capture_output=True, text=True, check=False)

    assert cli("render").returncode == 0
    entries = fixture_site / ".cache" / "plugin" / "figures" / "entries"
    (current,) = list(entries.iterdir())
    shutil.copytree(current, entries / ("0" * len(current.name)))  # an entry of a script since edited
    pruned = cli("prune")
    assert pruned.returncode == 0, pruned.stderr
    assert "removed 1 stale cache entries" in pruned.stdout
    assert [p.name for p in entries.iterdir()] == [current.name]
    listed = cli("list")
    assert listed.returncode == 0 and "tiny_flow" in listed.stdout and "[ok]" in listed.stdout


def test_figures_dir_moves_the_published_figures(fixture_site: Path) -> None:
    config = fixture_site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - figures\n", "  - figures:\n      figures_dir: art\n")
    )
    result = _build(fixture_site)
    assert result.returncode == 0, result.stderr
    assert (fixture_site / "out" / "art" / "tiny_flow.svg").is_file()
    home = BeautifulSoup((fixture_site / "out" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one("figure img")["src"] == "art/tiny_flow.svg#only-light"


def test_the_old_site_dir_option_still_works_with_a_deprecation_warning(fixture_site: Path) -> None:
    config = fixture_site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - figures\n", "  - figures:\n      site_dir: art\n")
    )
    result = mkdocs("build", "--site-dir", str(fixture_site / "out"), cwd=fixture_site)
    assert result.returncode == 0, result.stderr
    assert "option 'site_dir' is deprecated: rename it to 'figures_dir'" in result.stderr
    assert (fixture_site / "out" / "art" / "tiny_flow.svg").is_file()
    assert _build(fixture_site).returncode != 0, "a strict build must not pass with the deprecated name"
