"""Versioned publishing: `scripts/publish.sh` (what `make publish` runs) drives mike in a throwaway repo.

A copy of the site sources becomes a fresh git repository. Edition v2026.05 is published, then
v2026.11 (with a page that v2026.05 lacks, so `latest` moves), then dev. The checks read the
gh-pages branch (versions.json, the alias, the root redirect, the blob hashes of the older
edition) and then drive headless Chromium against that branch, exported with `git archive` and
served under the site_url path (/nutshell/) as GitHub Pages would serve it.
The figure cache is shared with the real site (`cache_dir` points at .cache/plugin/figures), so
nothing is re-rendered. Replicate by hand: copy the sources into a new repo, then run
`bash scripts/publish.sh v2026.05` there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from helpers import ROOT, copy_site_sources
from tools.common import serve_directory, site_prefix

CACHE_LINE = "cache_dir: .cache/plugin/figures"
NEW_PAGE = "whats-new-in-2026-11.md"

pytestmark = pytest.mark.slow


def _git_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HOME": str(home)}
    env.pop("NUTSHELL_SITE_URL", None)  # publish with the production site_url, as CI does
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="Nutshell Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Nutshell Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
    )
    return env


def _run(command: list[str], repo: Path, env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _publish(version: str, repo: Path, env: dict[str, str]) -> str:
    return _run(["bash", str(ROOT / "scripts" / "publish.sh"), version], repo, env)


def _tree(repo: Path, env: dict[str, str], ref: str) -> dict[str, tuple[str, str]]:
    """Every file under `ref` as path -> (mode, blob hash)."""
    listing = _run(["git", "ls-tree", "-r", "-z", ref], repo, env)
    files = {}
    for entry in listing.split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            mode, _kind, blob = meta.split()
            files[path] = (mode, blob)
    return files


def _sample_page() -> str:
    """A page below a section (not an index), as its URL path: it exists in every edition."""
    for source in sorted((ROOT / "docs").rglob("*.md")):
        relative = source.relative_to(ROOT / "docs").as_posix()
        if "/" in relative and not relative.endswith("index.md") and not relative.startswith("examples/"):
            return relative[: -len(".md")] + "/"
    pytest.fail("the site has no page below a section")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("versions")
    repo, home = base / "repo", base / "home"
    copy_site_sources(repo, extra=(".gitignore",), ignore=("figures",))
    home.mkdir()
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert config.count(CACHE_LINE) == 1, "mkdocs.yml no longer sets the figures plugin's cache_dir"
    shared_cache = (ROOT / ".cache" / "plugin" / "figures").as_posix()
    (repo / "mkdocs.yml").write_text(config.replace(CACHE_LINE, f"cache_dir: {shared_cache}"), encoding="utf-8")

    env = _git_env(home)
    _run(["git", "init", "-q", "-b", "main"], repo, env)
    _run(["git", "add", "-A"], repo, env)
    _run(["git", "commit", "-q", "-m", "The May 2026 edition"], repo, env)
    output = {"v2026.05": _publish("v2026.05", repo, env)}
    older = _tree(repo, env, "gh-pages:v2026.05")

    (repo / "docs" / NEW_PAGE).write_text(
        "---\ndescription: What the November 2026 edition adds.\n---\n\n# What's new\n\nNew in v2026.11.\n",
        encoding="utf-8",
    )
    _run(["git", "add", "-A"], repo, env)
    _run(["git", "commit", "-q", "-m", "The November 2026 edition"], repo, env)
    output["v2026.11"] = _publish("v2026.11", repo, env)
    output["dev"] = _publish("dev", repo, env)

    served = base / "served"
    served.mkdir()
    archive = base / "gh-pages.tar"
    _run(["git", "archive", "--format=tar", "-o", str(archive), "gh-pages"], repo, env)
    with tarfile.open(archive) as tar:
        tar.extractall(served, filter="data")
    return {"repo": repo, "env": env, "older": older, "served": served, "output": output}


def test_versions_json_lists_dev_and_both_editions_with_latest_on_the_newest(published: dict[str, Any]) -> None:
    repo, env = published["repo"], published["env"]
    versions = json.loads(_run(["git", "show", "gh-pages:versions.json"], repo, env))
    assert versions == [
        {"version": "dev", "title": "dev", "aliases": []},
        {"version": "v2026.11", "title": "v2026.11", "aliases": ["latest"]},
        {"version": "v2026.05", "title": "v2026.05", "aliases": []},
    ]


def test_latest_is_a_copy_of_the_newest_edition(published: dict[str, Any]) -> None:
    repo, env = published["repo"], published["env"]
    tree = _tree(repo, env, "gh-pages")
    assert not [path for path, (mode, _) in tree.items() if mode == "120000"], "aliases must be copies, not symlinks"
    latest = {path[len("latest/") :]: blob for path, blob in tree.items() if path.startswith("latest/")}
    newest = {path[len("v2026.11/") :]: blob for path, blob in tree.items() if path.startswith("v2026.11/")}
    assert latest and latest == newest
    assert f"{NEW_PAGE[:-3]}/index.html" in latest


def test_the_site_root_redirects_to_latest(published: dict[str, Any]) -> None:
    root_page = (published["served"] / "index.html").read_text(encoding="utf-8")
    assert "url=latest/" in root_page and '"latest/"' in root_page, root_page


def test_the_branch_root_holds_the_default_versions_404_page(published: dict[str, Any]) -> None:
    repo, env = published["repo"], published["env"]
    root = _run(["git", "rev-parse", "gh-pages:404.html"], repo, env)
    assert root == _run(["git", "rev-parse", "gh-pages:latest/404.html"], repo, env)
    assert "root 404.html is now latest/404.html" in published["output"]["v2026.11"]


def test_the_older_edition_is_untouched_by_later_deploys(published: dict[str, Any]) -> None:
    repo, env, before = published["repo"], published["env"], published["older"]
    after = _tree(repo, env, "gh-pages:v2026.05")
    assert before and after == before, "publishing v2026.11 and dev changed files of v2026.05"
    assert f"{NEW_PAGE[:-3]}/index.html" not in after


def test_publishing_leaves_main_and_the_work_tree_alone(published: dict[str, Any]) -> None:
    repo, env = published["repo"], published["env"]
    assert _run(["git", "status", "--porcelain"], repo, env) == ""
    assert _run(["git", "rev-parse", "--abbrev-ref", "HEAD"], repo, env).strip() == "main"
    assert _run(["git", "remote"], repo, env).strip() == "", "nothing to push to, and nothing was pushed"
    assert "push it with `git push origin gh-pages`" in published["output"]["dev"]


@pytest.mark.parametrize("bad", ["2026.11", "v2026.13", "v26.11", "latest", "v2026.11; rm -rf /"])
def test_publish_rejects_a_version_that_is_not_dev_or_an_edition(bad: str, published: dict[str, Any]) -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "publish.sh"), bad],
        cwd=published["repo"],
        env=published["env"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1 and "vYYYY.MM" in result.stderr


def test_publish_check_validates_without_building(tmp_path: Path) -> None:
    script = str(ROOT / "scripts" / "publish.sh")
    for good in ("dev", "v2026.11", "v2027.01"):
        assert subprocess.run(["bash", script, "--check", good], cwd=tmp_path, check=False).returncode == 0
    bad = subprocess.run(["bash", script, "--check", 'v";id;"'], cwd=tmp_path, capture_output=True, check=False)
    assert bad.returncode == 1


@pytest.fixture(scope="module")
def gh_pages_url(published: dict[str, Any]) -> Iterator[str]:
    with serve_directory(published["served"], site_prefix()) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def _current_version(page: Any) -> str:
    """The version the selector shows as current, without its alias badge."""
    current = page.locator(".md-version__current")
    current.wait_for()
    return str(current.evaluate("e => e.firstChild.textContent.trim()"))


def _switch_version(page: Any, version: str) -> None:
    page.locator(".md-version").hover()
    page.locator(".md-version__link", has_text=version).first.click()


@pytest.mark.browser
def test_the_site_root_opens_the_latest_edition(gh_pages_url: str, page: Any) -> None:
    page.goto(gh_pages_url)
    page.wait_for_url(f"{gh_pages_url}latest/")
    assert _current_version(page) == "v2026.11"


@pytest.mark.browser
def test_version_selector_lists_every_version(gh_pages_url: str, page: Any) -> None:
    page.goto(f"{gh_pages_url}v2026.05/")
    page.wait_for_selector(".md-version__current")
    assert _current_version(page) == "v2026.05"
    links = [text.strip() for text in page.locator(".md-version__link").all_inner_texts()]
    assert any(text.startswith("dev") for text in links), links
    assert any(text.startswith("v2026.11") and "latest" in text for text in links), links
    assert any(text.startswith("v2026.05") for text in links), links


@pytest.mark.browser
def test_switching_version_keeps_the_reader_on_the_same_page(gh_pages_url: str, page: Any) -> None:
    sample = _sample_page()
    page.goto(f"{gh_pages_url}v2026.05/{sample}")
    page.wait_for_selector(".md-version__current")
    _switch_version(page, "v2026.11")
    page.wait_for_url(f"{gh_pages_url}v2026.11/{sample}")
    assert _current_version(page) == "v2026.11"


@pytest.mark.browser
def test_switching_to_a_version_without_the_page_opens_its_home(gh_pages_url: str, page: Any) -> None:
    page.goto(f"{gh_pages_url}v2026.11/{NEW_PAGE[:-3]}/")
    page.wait_for_selector(".md-version__current")
    _switch_version(page, "v2026.05")
    page.wait_for_url(f"{gh_pages_url}v2026.05/")


@pytest.mark.browser
def test_outdated_banner_shows_on_older_editions_and_leads_to_latest(gh_pages_url: str, page: Any) -> None:
    sample = _sample_page()
    page.goto(f"{gh_pages_url}latest/{sample}")
    page.wait_for_selector(".md-version__current")
    assert page.locator("[data-md-component=outdated]").is_hidden()

    page.goto(f"{gh_pages_url}v2026.05/{sample}")
    banner = page.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible")
    assert "not reading the latest edition" in banner.inner_text()
    banner.locator("a").click()
    page.wait_for_url(f"{gh_pages_url}latest/")
    assert _current_version(page) == "v2026.11"


@pytest.mark.browser
def test_a_missing_page_anywhere_gets_the_styled_404_page(gh_pages_url: str, page: Any) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    response = page.goto(gh_pages_url + "no/such/edition/page/")
    assert response is not None and response.status == 404
    assert "Page not found" in page.inner_text("article")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    home = page.locator("article a", has_text="Kubernetes").first.get_attribute("href")
    assert page.request.get(urljoin(gh_pages_url + "no/such/edition/page/", home)).status == 200
    assert failed == [gh_pages_url + "no/such/edition/page/"], failed


def test_outdated_banner_link_on_the_404_page_leads_to_latest(published: dict[str, Any]) -> None:
    """The 404 page gets an absolute base_url ("/nutshell/dev"), pages a relative one; both must work."""
    html = (published["served"] / "dev" / "404.html").read_text(encoding="utf-8")
    banner = html[html.index('data-md-component="outdated"') :]
    href = re.search(r'<a href="([^"]+)"', banner).group(1)  # type: ignore[union-attr]
    here = f"https://example.org{site_prefix()}dev/some/missing/page"
    assert urljoin(here, href) == f"https://example.org{site_prefix()}latest/", href
