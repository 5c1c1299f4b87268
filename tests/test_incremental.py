"""`make serve` (`mkdocs serve --dirty` + the `incremental` plugin) serves exactly what a clean build makes.

A copy of the real site is served. After each kind of edit (a leaf page, the home page, a section
index, a title, a figure script, its revert to a cached version, a broken and a fixed script, a
figure on the home page, a glossary include, an included example, a data file read by a Markdown
extension inside and outside `docs/`, a page added and removed), the served site must equal a
clean `mkdocs build` of the same sources in both directions: the same set of files, and every
file the server returns equal to the clean one (pages, navigation, print page, figures, search
entries, in the same order).

A second test shows that a hanging figure script does not stop the server answering.
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

from helpers import BIN, ROOT, copy_site_sources
from tools.common import ServerDidNotStart, free_port, site_prefix, start_mkdocs_serve, wait_until_serving

pytestmark = pytest.mark.slow

LIVERELOAD = re.compile(rb"<script>\s*var livereload = .*?</script>", re.S)
# Outside git the "last update" date falls back to the build time, down to the second.
BUILD_TIME = re.compile(rb'title="[A-Z][a-z]+ \d+, \d{4} \d\d:\d\d:\d\d UTC"')

# A Markdown extension that knows nothing of `make serve`: it reads a data file outside docs/ and
# the watched folders with a plain open(), as a facts or data extension would.
PROBE_EXTENSION = """
from markdown import Extension
from markdown.preprocessors import Preprocessor


class Probe(Preprocessor):
    def run(self, lines):
        with open("data/probe.txt", encoding="utf-8") as handle:
            value = handle.read().strip()
        return [line.replace("PROBE_VALUE", value) for line in lines]


class ProbeExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Probe(md), "probe", 40)


def makeExtension(**kwargs):
    return ProbeExtension(**kwargs)
"""


class Served:
    """A running `mkdocs serve --dirty` over a site folder, and the folder it serves from."""

    def __init__(self, root: Path, proc: subprocess.Popen[bytes], log: Path, url: str, temp: Path) -> None:
        self.root, self.proc, self.log, self.url, self.temp = root, proc, log, url, temp

    @property
    def site(self) -> Path:
        (site,) = self.temp.glob("mkdocs_*")  # `mkdocs serve` builds into a temporary folder
        return site

    def reloads(self) -> int:
        return self.log.read_text(errors="replace").count("Reloading browsers")

    def last_build(self) -> str:
        log = self.log.read_text(errors="replace")
        return log[log.rfind("Building documentation") :]

    def settled(self) -> bool:
        """The latest rebuild finished and showed no figure as still rendering."""
        build = self.last_build()
        return "Reloading browsers" in build and "still rendering" not in build

    def change(self, relative: str, text: str | None, *, settle: bool = True) -> float:
        """Write (None: delete) one file, wait until the server rebuilt and told browsers to reload
        (with `settle`, until no figure is still rendering in the background); the seconds it took."""
        before, started = self.reloads(), time.monotonic()
        path = self.root / relative
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        deadline = time.time() + 120
        while self.reloads() == before or (settle and not self.settled()):
            assert self.proc.poll() is None, self.log.read_text(errors="replace")
            assert time.time() < deadline, "no rebuild after the edit:\n" + self.log.read_text(errors="replace")
            time.sleep(0.1)
        return time.monotonic() - started

    def edit(self, relative: str, old: str, new: str) -> None:
        text = (self.root / relative).read_text(encoding="utf-8")
        assert old in text, f"{relative} no longer contains {old!r}: update this test"
        self.change(relative, text.replace(old, new, 1))

    def fetch(self, relative: str) -> bytes:
        with urllib.request.urlopen(self.url + relative, timeout=60) as response:
            return LIVERELOAD.sub(b"", response.read())


def start_serving(root: Path, tmp_path: Path, env: dict[str, str] | None = None, prefix: str | None = None) -> Served:
    port = free_port()
    log = tmp_path / "serve.log"
    temp = tmp_path / "serve-tmp"
    temp.mkdir()
    proc = start_mkdocs_serve(root, port, log, env={**os.environ, **(env or {}), "TMPDIR": str(temp)})
    served = Served(root, proc, log, f"http://127.0.0.1:{port}{prefix or site_prefix()}", temp)
    try:
        wait_until_serving(served.url, proc, log, timeout=300)
    except ServerDidNotStart as exc:
        pytest.fail(f"mkdocs serve did not start: {exc}")
    return served


def stop_serving(served: Served) -> None:
    served.proc.terminate()
    served.proc.wait(timeout=60)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    root = copy_site_sources(tmp_path / "src")
    figures = ROOT / ".cache" / "plugin" / "figures"
    if figures.is_dir():  # a warm figure cache only saves time; results are the same without it
        shutil.copytree(figures, root / ".cache" / "plugin" / "figures", ignore=shutil.ignore_patterns("serve"))
    (root / "probe_extension.py").write_text(PROBE_EXTENSION, encoding="utf-8")
    (root / "data").mkdir(exist_ok=True)  # data/ holds facts.yml too
    (root / "data" / "probe.txt").write_text("probe value one\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "\nmarkdown_extensions:\n", "\nmarkdown_extensions:\n  - probe_extension\n"
        ),
        encoding="utf-8",
    )
    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nThe probe says PROBE_VALUE.\n", encoding="utf-8")
    served = start_serving(root, tmp_path, {"PYTHONPATH": str(root)})
    yield served
    stop_serving(served)


def clean_build(served: Served, out: Path) -> Path:
    env = {**os.environ, "NUTSHELL_SITE_URL": served.url, "PYTHONPATH": str(served.root)}
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


def search_counts(data: bytes) -> tuple[int, int]:
    """(entries, pages) of a search index."""
    docs = json.loads(data)["docs"]
    return len(docs), len({doc["location"].split("#")[0] for doc in docs})


def comparable(relative: str, data: bytes) -> bytes:
    if relative.endswith(".gz"):
        return gzip.decompress(data)
    return BUILD_TIME.sub(b"", data)


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def assert_serves_a_clean_build(served: Served, out: Path, kind: str) -> None:
    site = clean_build(served, out)
    clean_files, served_files = files_of(site), files_of(served.site)
    assert served_files == clean_files, (
        f"{kind} edit: files only served: {sorted(served_files - clean_files)[:10]}, "
        f"only in the clean build: {sorted(clean_files - served_files)[:10]}"
    )
    differing, first = [], ""
    for relative in sorted(clean_files):
        got, want = served.fetch(relative), (site / relative).read_bytes()
        if comparable(relative, got) != comparable(relative, want):
            differing.append(relative)
            if not first and relative.endswith((".html", ".json")):
                lines = difflib.unified_diff(
                    want.decode(errors="replace").splitlines(), got.decode(errors="replace").splitlines(), lineterm=""
                )
                first = "\n".join(list(lines)[:30])
    index = "search/search_index.json"
    counts = search_counts(served.fetch(index)), search_counts((site / index).read_bytes())
    (served_entries, served_pages), (clean_entries, clean_pages) = counts
    print(f"{kind}: search index served {served_entries} entries on {served_pages} pages, ", end="")
    print(f"clean {clean_entries} on {clean_pages}")
    assert not differing, f"{kind} edit: served differs from a clean build: {differing[:10]}\n{first}"


NEW_PAGE = """---
description: A page added while the site was being served, to show that new pages appear at once.
---

# Added while serving

This page was added while `make serve` ran.
"""

# (kind, file, old text or None to write `new` whole / "" to delete, new text, a served page, what it must show)
EDITS: list[tuple[str, str, str | None, str, str, str]] = [
    ("page-text", "docs/kubernetes/pods.md", "\n## ", "\nAdded while serving.\n\n## ", "print_page/", "Added while"),
    ("home-page", "docs/index.md", "This guide goes the other way.", "This guide goes its own way.", "", "own way"),
    (
        "section-index",
        "docs/kubernetes/index.md",
        "\n# Orchestration and Kubernetes\n",
        "\n# Orchestration and Kubernetes\n\nA sentence added to the section index.\n",
        "kubernetes/",
        "added to the section index",
    ),
    (
        "page-title",
        "docs/containers/images.md",
        "\n# Images\n",
        "\n# Container images\n",
        "containers/",
        "Container images",
    ),
    (
        "figure",
        "diagrams/k8s_pod_anatomy.py",
        "emptyDir\\nlogs",
        "emptyDir\\nshared logs",
        "figures/k8s_pod_anatomy.svg",
        "shared logs",
    ),
    # Back to a version the cache already holds: its older entry must be served again.
    (
        "figure-revert",
        "diagrams/k8s_pod_anatomy.py",
        "emptyDir\\nshared logs",
        "emptyDir\\nlogs",
        "kubernetes/pods/",
        "logs",
    ),
    # A broken script: an error box on its pages, and its last SVG no longer published; then fixed.
    (
        "figure-broken",
        "diagrams/k8s_pod_anatomy.py",
        'Vol("emptyDir\\nlogs")',
        "Vol(oops)",
        "kubernetes/pods/",
        "could not be rendered",
    ),
    (
        "figure-fixed",
        "diagrams/k8s_pod_anatomy.py",
        "Vol(oops)",
        'Vol("emptyDir\\nlogs")',
        "figures/k8s_pod_anatomy.svg",
        "logs",
    ),
    # A short label: a longer one would widen the figure past the lint's text-size rule.
    ("figure-on-home", "diagrams/pod_sidecar.py", '"app container"', '"app (edited)"', "", "(edited)"),
    ("include", "includes/glossary/containers.md", "Initiative:", "Initiative (OCI):", "containers/images/", "(OCI):"),
    # Volatile facts (data/facts.yml) may appear on any page: a full rebuild.
    (
        "facts",
        "data/facts.yml",
        'kubernetes.release:\n  value: "1.37"',
        'kubernetes.release:\n  value: "1.39"',
        "kubernetes/pods/",
        "describes Kubernetes 1.39",
    ),
    (
        "example",
        "docs/examples/kubernetes/pods-basic.yaml",
        "kind: Pod\n",
        "kind: Pod # edited while serving\n",
        "kubernetes/pods/",
        "edited while serving",
    ),
    ("data-in-docs", "docs/about/benchmark.json", "(bookworm)", "(bookworm, edited)", "about/", "bookworm, edited"),
    ("data-outside-docs", "data/probe.txt", "probe value one", "probe value two", "about/", "probe value two"),
    ("page-added", "docs/kubernetes/added.md", None, NEW_PAGE, "kubernetes/added/", "Added while serving"),
    ("page-removed", "docs/kubernetes/added.md", "", "", "print_page/", "Kubernetes"),
]


def test_dirty_serve_matches_a_clean_build_after_every_kind_of_edit(served: Served, tmp_path: Path) -> None:
    start = search_counts(served.fetch("search/search_index.json"))
    print(f"start: search index served {start[0]} entries on {start[1]} pages")
    for kind, relative, old, new, page, shows in EDITS:
        if old is None:
            served.change(relative, new)
        elif old == "":
            served.change(relative, None)
        else:
            served.edit(relative, old, new)
        assert shows.encode() in served.fetch(page), f"{kind} edit: {page} does not show {shows!r}"
        assert_serves_a_clean_build(served, tmp_path / f"after-{kind}-edit", kind)


HANG = "import time\n\nwhile True:\n    time.sleep(1)\n"


def test_a_hanging_script_does_not_stop_the_server_answering(fixture_site: Path, tmp_path: Path) -> None:
    config = fixture_site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - figures\n", "  - figures:\n      timeout: 20\n  - incremental\n"), encoding="utf-8"
    )
    served = start_serving(fixture_site, tmp_path, prefix="/")
    try:
        script = fixture_site / "diagrams" / "tiny_flow.py"
        good = script.read_text(encoding="utf-8")
        rebuilt = served.change(
            "diagrams/tiny_flow.py", HANG + good.replace("asks politely", "asks again"), settle=False
        )
        started = time.monotonic()
        home = served.fetch("").decode()
        answered = time.monotonic() - started
        print(f"hanging script: rebuilt {rebuilt:.2f} s after the edit; the page answered in {answered:.2f} s")
        assert 'class="nutshell-figure"' in home and "figure-updating" in home, "no last good figure with a note"
        assert "asks politely" in home, "the last good figure's text should still be shown"

        before = served.reloads()
        deadline = time.time() + 90
        while "figure-error" not in served.fetch("").decode():
            assert time.time() < deadline, "the timed-out render never reached the page"
            time.sleep(0.5)
        assert served.reloads() > before, "the browser was not told to reload when the render failed"
        assert "did not finish within" in served.fetch("").decode()

        served.change("diagrams/tiny_flow.py", good.replace("asks politely", "asks again"))
        deadline = time.time() + 60
        while "asks again" not in served.fetch("").decode():
            assert time.time() < deadline, "the fixed script never reached the page"
            time.sleep(0.5)
        assert "figure-updating" not in served.fetch("").decode()
    finally:
        stop_serving(served)
