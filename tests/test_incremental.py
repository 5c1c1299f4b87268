"""`make serve` (`mkdocs serve --dirty` + the `incremental` plugin) serves exactly what a clean build makes.

A copy of the real site is served; after each kind of edit (page text, page title, figure script,
glossary include) every file the server returns must equal a clean `mkdocs build` of the same
sources: same pages, same navigation, same print page, same figures, same search entries.
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BIN, ROOT, free_port, site_prefix

pytestmark = pytest.mark.slow

LIVERELOAD = re.compile(rb"<script>\s*var livereload = .*?</script>", re.S)
# Outside git the "last update" date falls back to the build time, down to the second.
BUILD_TIME = re.compile(rb'title="[A-Z][a-z]+ \d+, \d{4} \d\d:\d\d:\d\d UTC"')
SOURCES = ("mkdocs.yml", "docs", "diagrams", "includes", "overrides", "data")


class Served:
    """A running `mkdocs serve --dirty` over a site folder."""

    def __init__(self, root: Path, proc: subprocess.Popen[bytes], log: Path, url: str) -> None:
        self.root, self.proc, self.log, self.url = root, proc, log, url

    def reloads(self) -> int:
        return self.log.read_text(errors="replace").count("Reloading browsers")

    def edit(self, relative: str, old: str, new: str) -> None:
        """Change one file and wait until the server has rebuilt and told browsers to reload."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative} no longer contains {old!r}: update this test"
        before = self.reloads()
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        deadline = time.time() + 120
        while self.reloads() == before:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")
            assert time.time() < deadline, "no rebuild after the edit:\n" + self.log.read_text(errors="replace")
            time.sleep(0.1)

    def fetch(self, relative: str) -> bytes:
        with urllib.request.urlopen(self.url + relative, timeout=30) as response:
            return LIVERELOAD.sub(b"", response.read())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    root = tmp_path / "src"
    root.mkdir()
    for name in SOURCES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    figures = ROOT / ".cache" / "plugin" / "figures"
    if figures.is_dir():  # a warm figure cache only saves time; results are the same without it
        shutil.copytree(figures, root / ".cache" / "plugin" / "figures")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    served = Served(root, proc, log, f"http://127.0.0.1:{port}{site_prefix()}")
    deadline = time.time() + 300
    while "Serving on" not in log.read_text(errors="replace"):
        assert proc.poll() is None, log.read_text(errors="replace")
        assert time.time() < deadline, "mkdocs serve did not start:\n" + log.read_text(errors="replace")
        time.sleep(0.2)
    yield served
    proc.terminate()
    proc.wait(timeout=30)


def clean_build(served: Served, out: Path) -> Path:
    env = {**os.environ, "NUTSHELL_SITE_URL": served.url}
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--site-dir", str(out)],
        cwd=served.root,
        env=env,
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return out


def comparable(relative: str, data: bytes) -> object:
    if relative.endswith("search_index.json"):  # a dirty rebuild appends the edited page's entries last
        index = json.loads(data)
        return sorted(json.dumps(doc, sort_keys=True) for doc in index["docs"]), index["config"]
    if relative.endswith(".gz"):
        return gzip.decompress(data)
    return BUILD_TIME.sub(b"", data)


def assert_serves_a_clean_build(served: Served, out: Path) -> None:
    site = clean_build(served, out)
    differing, first = [], ""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site).as_posix()
        got, want = served.fetch(relative), path.read_bytes()
        if comparable(relative, got) != comparable(relative, want):
            differing.append(relative)
            if not first and relative.endswith(".html"):
                lines = difflib.unified_diff(
                    want.decode(errors="replace").splitlines(), got.decode(errors="replace").splitlines(), lineterm=""
                )
                first = "\n".join(list(lines)[:30])
    assert not differing, f"served after the edit differs from a clean build: {differing[:10]}\n{first}"


# (kind, file, old text, new text, a served page, what it must then show), applied in order.
EDITS = [
    # Only the edited page is re-rendered, yet the print page and search index stay complete.
    ("page-text", "docs/kubernetes/pods.md", "\n## ", "\nAdded while serving.\n\n## ", "print_page/", "Added while"),
    # Every page of the section shows the title in its navigation.
    (
        "page-title",
        "docs/containers/images.md",
        "\n# Images\n",
        "\n# Container images\n",
        "containers/",
        "Container images",
    ),
    # The figure changes, and so does the text alternative on the pages showing it.
    (
        "figure",
        "diagrams/k8s_pod_anatomy.py",
        "emptyDir\\nlogs",
        "emptyDir\\nshared logs",
        "kubernetes/pods/",
        "shared logs",
    ),
    # Glossary tooltips are on every page: a full rebuild.
    ("include", "includes/glossary/containers.md", "Initiative:", "Initiative (OCI):", "containers/images/", "(OCI):"),
]


def test_dirty_serve_matches_a_clean_build_after_every_kind_of_edit(served: Served, tmp_path: Path) -> None:
    for kind, relative, old, new, page, shows in EDITS:
        served.edit(relative, old, new)
        assert shows.encode() in served.fetch(page), f"{kind} edit: {page} does not show {shows!r}"
        assert_serves_a_clean_build(served, tmp_path / f"after-{kind}-edit")
