"""Shared fixtures: a fixture site, a built real site and its server, Chromium. Helpers that are
not fixtures live in tests/helpers.py and tools/common.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import BIN, FIXTURES, ROOT
from tools.common import CHROMIUM_ARGS, ChromiumMissing, chromium_executable, free_port, serve_directory, site_prefix

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A copy of the small fixture site (mkdocs.yml, docs/, diagrams/) in a temp folder."""
    target = tmp_path / "site-src"
    shutil.copytree(FIXTURES / "site", target)
    shutil.copy(ROOT / "diagrams" / "house_style.py", target / "diagrams" / "house_style.py")
    return target


def _chromium() -> str:
    try:
        return chromium_executable()
    except ChromiumMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def site_port() -> int:
    """The port the built site will be served on; the build needs it for its site_url."""
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Path:
    """The real site, built once with `mkdocs build --strict` as mike builds version `dev`, with
    site_url on the local test server (Material's instant navigation only follows same-origin
    URLs from sitemap.xml)."""
    out = tmp_path_factory.mktemp("real-site") / "site"
    env = {
        **os.environ,
        "NUTSHELL_SITE_URL": f"http://127.0.0.1:{site_port}{site_prefix()}",
        "MIKE_DOCS_VERSION": "dev",
    }
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"strict build failed (replicate with `make build`):\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def site_server(built_site: Path, site_port: int) -> Iterator[str]:
    """The built real site served as mike publishes it: as version `dev` under the site_url path
    (http://127.0.0.1:PORT/nutshell/dev/), with versions.json one level up."""
    versions = json.dumps([{"version": "dev", "title": "dev", "aliases": []}]).encode()
    extra = {site_prefix() + "versions.json": versions}
    with serve_directory(built_site, site_prefix() + "dev/", extra, port=site_port) as url:
        yield url
