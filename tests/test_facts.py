"""Volatile facts as data: the facts file, the Markdown extension, the strict build and `make facts`.

The extension (`site_extensions.facts`) replaces `[[fact:key]]` and `[[state:key]]` with entries of
`data/facts.yml`; an unknown key is a warning naming the file and line (so `--strict` fails), and a
malformed facts file stops the build naming its line. `scripts/facts.py` lists entries by age.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import markdown
import pytest
import yaml

from figure_pipeline.markdown import FenceTracker
from helpers import BIN, ROOT
from site_extensions import facts_data
from site_extensions.facts import FactsExtension
from site_extensions.facts_data import FactsError, load

TODAY = dt.date(2026, 12, 1)

GOOD = """\
# --- current releases ---
kubernetes.release:
  value: "1.37"
  source: https://kubernetes.io/releases/
  checked: 2026-11-30
istio.release-date:
  value: 2026-08-20
  source: https://istio.io/latest/news/releases/
  checked: 2026-06-01
kubernetes.sidecar-containers:
  name: native sidecar containers
  project: Kubernetes
  state: stable
  since: "1.33"
  source: https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/
  checked: 2026-09-02
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "facts.yml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- The facts file ---------------------------------------------------------------------------


def test_entries_load_with_their_line_and_fields(data: Path) -> None:
    facts = load(data, today=TODAY)
    assert list(facts) == ["kubernetes.release", "istio.release-date", "kubernetes.sidecar-containers"]
    assert facts["kubernetes.release"].value == "1.37" and facts["kubernetes.release"].line == 2
    assert facts["istio.release-date"].value == "2026-08-20"  # a date value is shown as written
    assert facts["kubernetes.sidecar-containers"].badge() == "Kubernetes v1.33 [stable]"
    assert facts["istio.release-date"].age(TODAY) == 183


def test_the_real_facts_file_loads_and_every_entry_is_sourced() -> None:
    facts = load(ROOT / "data" / "facts.yml")
    assert "kubernetes.release" in facts
    for fact in facts.values():
        assert fact.source.startswith("https://"), fact.key


def test_the_real_facts_file_has_a_block_per_section() -> None:
    text = (ROOT / "data" / "facts.yml").read_text(encoding="utf-8")
    for block in ("# --- containers pages ---", "# --- kubernetes pages ---", "# --- service mesh pages ---"):
        assert block in text


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a.b:\n  value: 1.30\n  source: https://x.io/\n  checked: 2026-01-01\n", 2, 'quote it: "1.3"'),
        (
            "a.b:\n  valeu: x\n  source: https://x.io/\n  checked: 2026-01-01\n",
            2,
            "did you mean 'value'",
        ),
        ("a.b:\n  value: x\n  checked: 2026-01-01\n", 1, "missing 'source'"),
        ("a.b:\n  value: x\n  source: https://x.io/\n", 1, "missing 'checked'"),
        ("a.b:\n  value: x\n  source: see the docs\n  checked: 2026-01-01\n", 1, "URL of the primary source"),
        ("a.b:\n  value: x\n  source: https://x.io/\n  checked: 2027-01-01\n", 4, "in the future"),
        ("a.b:\n  value: x\n  source: https://x.io/\n  checked: 1 May\n", 4, "YYYY-MM-DD"),
        ("a.b:\n  source: https://x.io/\n  checked: 2026-01-01\n", 1, "give a 'value'"),
        (
            "a.b:\n  project: K\n  state: GA\n  since: '1'\n  source: https://x.io/\n  checked: 2026-01-01\n",
            1,
            "state 'GA' is not one of",
        ),
        ("a.b:\n  project: K\n  state: beta\n  source: https://x.io/\n  checked: 2026-01-01\n", 1, "missing since"),
        (
            "a.b:\n  value: x\n  source: https://x.io/\n  checked: 2026-01-01\n"
            "a.b:\n  value: y\n  source: https://x.io/\n  checked: 2026-01-01\n",
            5,
            "defined twice (first at line 1)",
        ),
        ("Kubernetes Release:\n  value: x\n", 1, "lower-case words"),
        ("a.b: [1, 2\n", 2, "not valid YAML"),
    ],
)
def test_a_malformed_facts_file_names_the_line_and_the_fix(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(FactsError) as info:
        load(path, today=TODAY)
    assert str(info.value).startswith(f"{path}:{line}: "), str(info.value)
    assert message in str(info.value)


def test_stale_lists_entries_at_least_n_days_old_oldest_first(data: Path) -> None:
    facts = load(data, today=TODAY)
    expected = ["istio.release-date", "kubernetes.sidecar-containers"]
    assert [f.key for f in facts_data.stale(facts, TODAY, 90)] == expected
    assert [f.key for f in facts_data.stale(facts, TODAY, 91)] == ["istio.release-date"]
    assert [f.key for f in facts_data.stale(facts, TODAY + dt.timedelta(days=90), 90)] == [
        "istio.release-date",
        "kubernetes.sidecar-containers",
        "kubernetes.release",
    ]


# --- The Markdown extension -------------------------------------------------------------------


class _Page(markdown.treeprocessors.Treeprocessor):
    """What MkDocs registers for each page: a tree processor holding the page's file."""

    def __init__(self, md: markdown.Markdown, src_uri: str) -> None:
        super().__init__(md)
        self.file = type("File", (), {"src_uri": src_uri})()

    def run(self, root: object) -> None:
        return None


class _PageExtension(markdown.Extension):
    def __init__(self, src_uri: str) -> None:
        super().__init__()
        self.src_uri = src_uri

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Page(md, self.src_uri), "relpath", 0)


def _render(text: str, data: Path, page: str | None = None, docs: Path | None = None, **snippets: object) -> str:
    extensions: list[object] = [
        FactsExtension(data=str(data), docs_dir=str(docs or data.parent)),
        "pymdownx.superfences",
        "pymdownx.snippets",
    ]
    if page:
        extensions.append(_PageExtension(page))
    configs = {"pymdownx.snippets": {"check_paths": True, **snippets}}
    return markdown.markdown(text, extensions=extensions, extension_configs=configs)


def test_a_value_a_field_and_an_inline_badge(data: Path) -> None:
    html = _render(
        "Kubernetes [[fact:kubernetes.release]] (checked [[fact:kubernetes.release|checked]]); "
        "sidecars [[state:kubernetes.sidecar-containers]].",
        data,
    )
    assert "Kubernetes 1.37 (checked 2026-11-30)" in html
    assert '<span class="feature-state feature-state--stable"' in html
    assert '<code class="feature-state__label">Kubernetes v1.33 &#91;stable&#93;</code></span>' in html


def test_a_badge_alone_on_its_line_is_a_block_notice(data: Path) -> None:
    html = _render("Intro.\n\n[[state:kubernetes.sidecar-containers]]\n\nMore.", data)
    assert '<div class="feature-state feature-state--stable"' in html
    assert '<span class="feature-state__name">Feature state:</span>' in html
    assert "<p><div" not in html


def test_code_blocks_get_plain_text_and_a_backslash_shows_the_syntax(data: Path) -> None:
    html = _render(
        "```bash\nkubeadm upgrade apply v[[fact:kubernetes.release]].0"
        "  # [[state:kubernetes.sidecar-containers]]\n```\n\n"
        "Write \\[[fact:kubernetes.release]] in a page.",
        data,
    )
    assert "v1.37.0" in html and "# Kubernetes v1.33 [stable]" in html and "feature-state" not in html
    assert "Write [[fact:kubernetes.release]] in a page." in html


def test_an_unknown_key_warns_with_file_line_and_did_you_mean(
    tmp_path: Path, data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    source = "---\ntitle: T\n---\n\n# T\n\nText.\nKubernetes [[fact:kubernetes.relase]].\n"
    (docs / "page.md").write_text(source, encoding="utf-8")
    body = source.split("---\n", 2)[2]  # the generator strips the front matter before Markdown
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        html = _render(body, data, page="page.md", docs=docs)
    assert [r.getMessage() for r in caplog.records] == [
        "docs/page.md:8: unknown fact 'kubernetes.relase'; did you mean kubernetes.release?"
    ]
    assert '<span class="fact-error" role="alert">unknown fact' in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[state:kubernetes.release]]", "[[state:kubernetes.release]] has no feature state"),
        ("[[fact:kubernetes.release|sources]]", "fact 'kubernetes.release' has no field 'sources'"),
        ("[[fact:kubernetes.release|note]]", "fact 'kubernetes.release' has no field 'note'"),
        ("[[fact: kubernetes.release]]", "malformed fact reference '[[fact: kubernetes.release]]'"),
        ("[[facts:kubernetes.release]]", "malformed fact reference"),
        ("[[fact:nothing.like.it]]", "add an entry to the facts file"),
    ],
)
def test_every_wrong_reference_is_a_warning(
    data: Path, caplog: pytest.LogCaptureFixture, text: str, message: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        _render(f"Para.\n\n{text}\n", data)
    assert len(caplog.records) == 1, [r.getMessage() for r in caplog.records]
    assert message in caplog.records[0].getMessage()
    assert caplog.records[0].getMessage().startswith("line 3: ")


def test_an_unknown_key_in_an_included_file_names_that_file(
    tmp_path: Path, data: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "note.md").write_text("Line one.\nIstio [[fact:istio.releese-date]].\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        html = _render('Page.\n\n--8<-- "includes/note.md"\n\n[[fact:kubernetes.release]]\n', data, base_path=["."])
    assert [r.getMessage() for r in caplog.records] == [
        "includes/note.md:2: unknown fact 'istio.releese-date'; did you mean istio.release-date?"
    ]
    assert "1.37" in html


def test_included_references_are_replaced(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "v.md").write_text("Targets Kubernetes [[fact:kubernetes.release]].\n", encoding="utf-8")
    assert "Targets Kubernetes 1.37." in _render('--8<-- "v.md"\n', data, base_path=["."])


def test_a_malformed_facts_file_stops_the_conversion(tmp_path: Path) -> None:
    bad = _write(tmp_path, "a.b:\n  value: 1.30\n  source: https://x.io/\n  checked: 2026-01-01\n")
    with pytest.raises(FactsError, match=r"bad\.yml:2: a\.b: value 1\.3 is a number"):
        _render("x", bad)


def test_the_site_registers_the_extension_and_watches_the_data() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert "site_extensions.facts" in names
    assert "data" in config["watch"]


# --- The strict build, through the real CLI ---------------------------------------------------


def _site(tmp_path: Path, page: str) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "facts.yml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Facts fixture\nmarkdown_extensions:\n  - site_extensions.facts:\n      data: facts.yml\n",
        encoding="utf-8",
    )
    return tmp_path


def _build(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict"], cwd=site, capture_output=True, text=True, timeout=120, check=False
    )


def test_strict_build_renders_known_facts(tmp_path: Path) -> None:
    site = _site(tmp_path, "# Home\n\nKubernetes [[fact:kubernetes.release]] [[state:kubernetes.sidecar-containers]]\n")
    result = _build(site)
    assert result.returncode == 0, result.stderr
    html = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "Kubernetes 1.37" in html and "Kubernetes v1.33 &#91;stable&#93;</code>" in html


def test_strict_build_fails_on_an_unknown_key_with_file_and_line(tmp_path: Path) -> None:
    site = _site(tmp_path, "---\ntitle: Home\n---\n# Home\n\nKubernetes [[fact:kubernetes.relase]].\n")
    result = _build(site)
    assert result.returncode != 0
    assert "docs/index.md:6: unknown fact 'kubernetes.relase'; did you mean kubernetes.release?" in result.stderr


# --- make facts ---------------------------------------------------------------------------------


def _facts(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "facts.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_facts_lists_every_entry_with_its_age(data: Path) -> None:
    result = _facts("--data", str(data), "--today", "2026-12-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["KEY", "VALUE", "OR", "STATE", "CHECKED", "AGE", "SOURCE"]
    assert lines[1].split()[:4] == ["kubernetes.release", "1.37", "2026-11-30", "1"]
    assert lines[2].split()[:4] == ["istio.release-date", "2026-08-20", "2026-06-01", "183"]
    assert "Kubernetes v1.33 [stable]  2026-09-02  90 d" in lines[3]
    assert "3 entries; 2 not checked for 90 days or more, or due a recheck." in result.stdout


def test_make_facts_stale_report_is_written_and_removed(tmp_path: Path, data: Path) -> None:
    report = tmp_path / "out" / "stale.md"
    result = _facts("--data", str(data), "--today", "2026-12-01", "--stale", "90", "--report", str(report))
    assert result.returncode == 0, result.stderr
    body = report.read_text(encoding="utf-8")
    assert body.startswith("2 entries of ")
    assert (
        "| `istio.release-date` | 2026-08-20 | 2026-06-01 | 183 |  | <https://istio.io/latest/news/releases/> |" in body
    )
    assert "kubernetes.release`" not in body
    result = _facts("--data", str(data), "--today", "2026-12-01", "--stale", "200", "--report", str(report))
    assert result.returncode == 0 and not report.exists()
    assert "No entry is 200 days old or more." in result.stdout


def test_make_facts_lists_a_projects_feature_states(data: Path) -> None:
    result = _facts("--data", str(data), "--today", "2026-12-01", "--features", "Kubernetes")
    assert "kubernetes.sidecar-containers" in result.stdout and "kubernetes.release " not in result.stdout


def test_make_facts_names_the_line_of_a_malformed_file(tmp_path: Path) -> None:
    bad = _write(tmp_path, "a.b:\n  value: x\n  source: https://x.io/\n  checked: 2026-01-01\n  colour: red\n")
    result = _facts("--data", str(bad))
    assert result.returncode == 2
    assert f"{bad}:5: a.b: unknown field 'colour'" in result.stderr


def test_the_makefile_has_the_facts_target() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nfacts: setup ## " in makefile and "scripts/facts.py $(ARGS)" in makefile


# --- Pages take current releases from the facts file -------------------------------------------

PROJECT_NAMES = {
    "kubernetes": "Kubernetes",
    "istio": "Istio",
    "gateway-api": "Gateway API",
    "linkerd": "Linkerd",
    "containerd": "containerd",
    "runc": "runc",
}
PAGES = sorted([*(ROOT / "docs").rglob("*.md"), *(ROOT / "includes").rglob("*.md")])


HISTORY_ROW = re.compile(r"^\|\s*(?:\d{4}-\d{2}-\d{2}|\d{4}\b|[A-Z][a-z]+ \d{4})")
# A mention that dates a change is history, true after the next release: "since Istio 1.31",
# "in Istio 1.31", "from Istio 1.31", or "Istio 1.31 (August 2026) added ...".
HISTORY_BEFORE = re.compile(r"\b(?:since|in|from)\s+$", re.IGNORECASE)
HISTORY_AFTER = re.compile(
    r"^\s*(?:\([A-Z][a-z]+ \d{4}\)\s*)?(?:added|brought|introduced|changed|deprecated|removed)\b"
)


def restated_releases(text: str, facts: dict[str, facts_data.Fact]) -> list[str]:
    """Current releases written out ("Kubernetes 1.37") instead of taken from the facts file.

    Only entries for the current release (keys `<project>.release`, `.edge`, `.stable-major`)
    count. Code blocks are skipped (command output names the version it was captured with), and
    so is history, which stays true after the next release: rows of tables whose first cell is a
    date ("| 2026-08-20 | Istio 1.31 was released"), and a mention after "since", "in" or "from"
    or followed by "added", "brought", "introduced", "changed", "deprecated" or "removed"
    (optionally with the month between: "Istio 1.31 (August 2026) added").
    """
    found = []
    fences = FenceTracker()
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if fences.in_code(line) or HISTORY_ROW.match(line):
            continue
        following = line + " " + (lines[number].strip() if number < len(lines) else "")
        for fact in facts.values():
            project, _, what = fact.key.partition(".")
            if what not in {"release", "edge", "stable-major"} or project not in PROJECT_NAMES or not fact.value:
                continue
            pattern = rf"\b{re.escape(PROJECT_NAMES[project])}\s+v?{re.escape(fact.value.lstrip('v'))}(?![\d.]*\d)"
            for match in re.finditer(pattern, line):
                if HISTORY_BEFORE.search(line[: match.start()]) or HISTORY_AFTER.match(following[match.end() :]):
                    continue
                found.append(f"line {number}: '{PROJECT_NAMES[project]} {fact.value}': write [[fact:{fact.key}]]")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pages_take_current_releases_from_the_facts_file(page: Path) -> None:
    facts = load(ROOT / "data" / "facts.yml")
    problems = restated_releases(page.read_text(encoding="utf-8"), facts)
    assert not problems, f"{page.relative_to(ROOT)}: " + "; ".join(problems)


def test_a_restated_release_is_found(data: Path) -> None:
    facts = load(data, today=TODAY)
    text = (
        "The pages target Kubernetes 1.37 today.\n```text\nKubernetes 1.37\n```\nKubernetes 1.370 or 1.37.1\n"
        "| 2026-08-26 | Kubernetes 1.37 was released. |\nSince Kubernetes 1.37 it is stable, as in Kubernetes 1.37.\n"
        "Kubernetes 1.37 (August 2026) added it; Kubernetes 1.37\nbrought it. Kubernetes 1.37 runs it."
    )
    assert restated_releases(text, facts) == [
        "line 1: 'Kubernetes 1.37': write [[fact:kubernetes.release]]",
        "line 9: 'Kubernetes 1.37': write [[fact:kubernetes.release]]",
    ]
    assert restated_releases("Kubernetes [[fact:kubernetes.release]]", facts) == []


def test_an_entry_is_due_from_its_recheck_day(tmp_path: Path) -> None:
    path = tmp_path / "facts.yml"
    path.write_text(
        GOOD + 'kubernetes.next-release:\n  value: "1.38"\n  source: https://kubernetes.io/releases/\n'
        "  checked: 2026-11-30\n  recheck: 2026-12-16\n",
        encoding="utf-8",
    )
    facts = load(path, today=TODAY)
    assert "kubernetes.next-release" not in [f.key for f in facts_data.stale(facts, dt.date(2026, 12, 15), 90)]
    assert "kubernetes.next-release" in [f.key for f in facts_data.stale(facts, dt.date(2026, 12, 16), 90)]
    result = _facts("--data", str(path), "--today", "2026-12-16", "--stale", "90")
    assert "recheck since 2026-12-16" in result.stdout
    bad = _write(tmp_path, "a.b:\n  value: x\n  source: https://x.io/\n  checked: 2026-01-01\n  recheck: soon\n")
    with pytest.raises(FactsError, match=r"bad\.yml:5: a\.b: 'recheck' must be a date"):
        load(bad, today=TODAY)
