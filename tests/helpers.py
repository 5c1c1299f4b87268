"""Helpers for the tests (fixtures live in conftest.py): paths, the `mkdocs` command line, figure
scripts written on the fly, and browser steps. Helpers shared with the tools are in `tools.common`."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from figure_pipeline.lint import RULES
from figure_pipeline.options import RenderOptions
from tools.common import BIN, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
# What a build of the site reads: a copy of these builds the same site (see `copy_site_sources`).
SITE_SOURCES = ("mkdocs.yml", "docs", "diagrams", "overrides", "includes", "data")

# The API server's own groups: their objects are validated against the Kubernetes OpenAPI schema
# (kubernetes-validate, tests/test_examples.py); every other group needs a CRD schema.
BUILTIN_GROUPS = {
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apps",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
}


GOOD_SCRIPT = """
from diagrams.k8s.compute import Pod
from diagrams.onprem.client import User

from house_style import figure, flow, group

with figure("Good figure"):
    user = User("reader")
    with group("pod"):
        a = Pod("web-a")
        b = Pod("web-b")
    user >> flow("reads") >> a
    user >> flow("reads") >> b
"""


# Probe scripts (sandbox, sanitiser and error tests) draw one plain node per value they report: the
# figure lint judges pictures readers see, and tests/test_figure_lint.py tests it; these skip it.
PROBE_LINT = tuple(RULES)


def scripts_dir(tmp_path: Path, scripts: dict[str, str]) -> Path:
    """A folder with the real house style and the given figure scripts."""
    folder = tmp_path / "diagrams"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "diagrams" / "house_style.py", folder / "house_style.py")
    for name, source in scripts.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return folder


def options(tmp_path: Path, scripts: dict[str, str], **overrides: object) -> RenderOptions:
    """Render options over a fresh scripts folder and a private cache."""
    folder = scripts_dir(tmp_path, scripts)
    settings: dict[str, object] = {"workers": 2, **overrides}
    return RenderOptions(scripts_dir=folder, cache_dir=tmp_path / "cache", **settings)  # type: ignore[arg-type]


def mkdocs(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs` command line."""
    return subprocess.run(
        [str(BIN / "mkdocs"), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def page_urls(built_site: Path, base: str) -> list[str]:
    """The URL of every page of a built site served at `base`."""
    urls = []
    for html in sorted(built_site.rglob("index.html")):
        rel = html.parent.relative_to(built_site)
        if "assets" not in rel.parts:
            urls.append(base + ("" if rel == Path(".") else rel.as_posix() + "/"))
    return urls


def load_all_images(tab: Any) -> None:
    """Make every lazy-loaded image of a Playwright page load now, and wait for them."""
    tab.evaluate(
        """async () => {
            const images = [...document.images];
            images.forEach(img => { img.loading = 'eager'; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
        }"""
    )


def site_articles(site: Path, *, print_page: bool = True) -> Iterator[tuple[str, Any]]:
    """Each built page's `<article>`, parsed (a BeautifulSoup tag), with the page's folder relative
    to `site`, in path order; without `print_page`, the print page (every page again) is skipped."""
    from bs4 import BeautifulSoup

    for html in sorted(site.rglob("index.html")):
        if not print_page and "print_page" in html.relative_to(site).parts:
            continue
        article = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if article is not None:
            yield str(html.parent.relative_to(site)), article


def copy_site_sources(dest: Path, *, extra: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Path:
    """Copy the site's sources (`SITE_SOURCES`, plus `extra` names) from the repository into `dest`,
    leaving out `__pycache__` and the names in `ignore`; return `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    skip = shutil.ignore_patterns("__pycache__", *ignore)
    for name in (*SITE_SOURCES, *extra):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=skip)
        else:
            shutil.copy2(source, dest / name)
    return dest


class PageFile(Treeprocessor):
    """Stands in for MkDocs' relative-path processor, which carries the page's file: register it
    as "relpath" and a page-aware Markdown extension sees `src_uri` as the page's source."""

    def __init__(self, md: Markdown, src_uri: str) -> None:
        super().__init__(md)
        self.file = SimpleNamespace(src_uri=src_uri)

    def run(self, root: object) -> None:
        return None
