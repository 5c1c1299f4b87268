"""The same site built with Zensical, the Material team's successor to MkDocs, as a migration check.

Zensical reads mkdocs.yml but runs no MkDocs plugins, so the `figures` plugin does nothing there.
Instead, as a newcomer would by hand, the pipeline CLI renders the figures into docs/figures/ of
a temporary copy of the sources (`python -m figure_pipeline render --out docs/figures`), and
`zensical build` builds that copy. The Markdown extension still runs (Zensical runs
Python-Markdown extensions), configured in mkdocs.yml with `url_base: figures`: it links figures
relative to each page's source file, which Zensical rewrites per page (it leaves absolute
`/figures/...` links untouched, which would break under /nutshell/ or a mike version folder).
Then every page and figure of the MkDocs build must be in the Zensical build, and every figure
a Zensical page shows must resolve to a file.

Replicate: copy mkdocs.yml, docs/, diagrams/, overrides/, includes/, data/ somewhere, then run there
`python -m figure_pipeline render --out docs/figures && zensical build`.
"""

from __future__ import annotations

import importlib.util
import os
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import BIN, ROOT, copy_site_sources

# Pages that only MkDocs plugins make; Zensical ignores those plugins (see the report in CONTRIBUTING.md).
PLUGIN_ONLY_PAGES = {"print_page/index.html"}

needs_zensical = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None, reason="Zensical needs Python 3.11+ (installed by the set-up there)"
)


# --- The Zensical build ---------------------------------------------------------------------------


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html") if "assets" not in p.parts}


def _figure_sources(html: Path) -> list[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return [img["src"] for img in soup.select("figure.nutshell-figure img")]


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_site_sources(tmp_path_factory.mktemp("zensical") / "project")
    # Share the figure cache of the real site: nothing is re-rendered when it is warm.
    (project / ".cache" / "plugin").mkdir(parents=True)
    (ROOT / ".cache" / "plugin" / "figures").mkdir(parents=True, exist_ok=True)
    (project / ".cache" / "plugin" / "figures").symlink_to(ROOT / ".cache" / "plugin" / "figures")

    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("NUTSHELL_SITE_URL", None)
    render = subprocess.run(
        [sys.executable, "-m", "figure_pipeline", "render", "--out", "docs/figures"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert render.returncode == 0, f"figure render failed:\n{render.stdout}\n{render.stderr}"
    build = subprocess.run(
        # No --clean: Zensical keeps its own cache in .cache/ and --clean deletes the whole folder,
        # figure cache included, before the Markdown extension reads the manifest from it.
        [str(BIN / "zensical"), "build", "-f", "mkdocs.yml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    hint = ""
    if "has no method named" in build.stderr:
        hint = (
            "\nHint: Zensical renders templates with MiniJinja, which has no Python string methods. In"
            " overrides/, use filters that both engines know, e.g. `(base_url ~ '/') | replace('//', '/')`"
            " instead of `base_url.rstrip('/') ~ '/'`."
        )
    assert build.returncode == 0, f"zensical build failed:\n{build.stdout}\n{build.stderr}{hint}"
    warnings = [line for line in (build.stdout + build.stderr).splitlines() if "Warning" in line]
    assert not warnings, "zensical build warned:\n" + "\n".join(warnings)
    return project / "site"


@needs_zensical
def test_every_mkdocs_page_is_in_the_zensical_build(built_site: Path, zensical_site: Path) -> None:
    missing = sorted(_pages(built_site) - PLUGIN_ONLY_PAGES - _pages(zensical_site))
    assert not missing, f"pages MkDocs builds but Zensical does not: {missing}"


@needs_zensical
def test_every_figure_file_is_in_the_zensical_build(built_site: Path, zensical_site: Path) -> None:
    figures = sorted((built_site / "figures").glob("*.svg"))
    assert figures
    for svg in figures:
        twin = zensical_site / "figures" / svg.name
        assert twin.is_file(), f"figures/{svg.name} is missing from the Zensical build"
        assert twin.read_bytes() == svg.read_bytes(), f"figures/{svg.name} differs between the builds"


@needs_zensical
def test_every_page_shows_the_same_figures_and_they_resolve(built_site: Path, zensical_site: Path) -> None:
    shown = 0
    for page in sorted(_pages(built_site) - PLUGIN_ONLY_PAGES):
        expected = [posixpath.basename(src.split("#")[0]) for src in _figure_sources(built_site / page)]
        sources = _figure_sources(zensical_site / page)
        assert [posixpath.basename(src.split("#")[0]) for src in sources] == expected, page
        for src in sources:
            path = src.split("#")[0]
            assert not path.startswith("/"), f"{page}: absolute figure link {src} breaks under a sub-path"
            target = (zensical_site / page).parent / path
            assert target.resolve().is_file(), f"{page}: {src} does not resolve to a file"
        shown += len(sources)
    assert shown >= 3
    errors = [p for p in _pages(zensical_site) if "figure-error" in (zensical_site / p).read_text(encoding="utf-8")]
    assert not errors, f"pages showing a figure error box: {errors}"
