"""The pre-commit hooks, run the same way pre-commit runs them, over every file git does not ignore.

Each hook in .pre-commit-config.yaml is a local `language: system` hook, so this test reads the
hook's entry, arguments and file filters and runs exactly that command. Files are those git
tracks plus new ones it does not ignore, so a new page is linted before it is committed.
Replicate one hook with `.venv/bin/pre-commit run <id> --all-files` (tracked files only).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from identify.identify import tags_from_path

from helpers import ROOT

CONFIG = ROOT / ".pre-commit-config.yaml"
EXPECTED_HOOKS = {"ruff", "ruff-format", "mypy", "codespell", "pymarkdown", "yamllint", "hygiene"}


def _hooks() -> list[dict[str, Any]]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def _repo_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted(name for name in listed.split("\0") if name and (ROOT / name).is_file())


def _selected(hook: dict[str, Any], files: list[str]) -> list[str]:
    """pre-commit's filter: `files` and `exclude` regexes, then `types`, `types_or`, `exclude_types`."""
    include = re.compile(hook.get("files", ""))
    exclude = re.compile(hook.get("exclude", "^$"))
    types, types_or = set(hook.get("types", ["file"])), set(hook.get("types_or", []))
    exclude_types = set(hook.get("exclude_types", []))
    chosen = []
    for name in files:
        if not include.search(name) or exclude.search(name):
            continue
        tags = tags_from_path(str(ROOT / name))
        if types <= tags and (not types_or or types_or & tags) and not exclude_types & tags:
            chosen.append(name)
    return chosen


def test_hooks_are_the_fast_local_ones() -> None:
    hooks = _hooks()
    assert {hook["id"] for hook in hooks} == EXPECTED_HOOKS
    for hook in hooks:
        assert hook["language"] in {"system", "python"}, f"{hook['id']}: must not download anything"
        assert hook["entry"].startswith(".venv/bin/"), f"{hook['id']}: must run the tool from .venv"
    repos = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["repos"]
    assert [repo["repo"] for repo in repos] == ["local"]


@pytest.mark.parametrize("hook", _hooks(), ids=lambda hook: hook["id"])
def test_hook_passes(hook: dict[str, Any]) -> None:
    files = _selected(hook, _repo_files())
    assert files, f"{hook['id']} selects no files: check its filters"
    command = shlex.split(hook["entry"]) + list(hook.get("args", []))
    if hook.get("pass_filenames", True):
        command += files
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, (
        f"{hook['id']} found problems (replicate: {hook['entry']} <files>):\n{result.stdout}\n{result.stderr}"
    )


def test_selection_matches_pre_commit_filters() -> None:
    """The filter above picks Markdown for pymarkdown and Python for ruff, as pre-commit would."""
    hooks = {hook["id"]: hook for hook in _hooks()}
    files = ["README.md", "mkdocs.yml", "src/figure_pipeline/markdown.py", "requirements.lock"]
    assert _selected(hooks["pymarkdown"], files) == ["README.md"]
    assert _selected(hooks["yamllint"], files) == ["mkdocs.yml"]
    assert _selected(hooks["ruff"], files) == ["src/figure_pipeline/markdown.py"]
    assert _selected(hooks["mypy"], files) == ["src/figure_pipeline/markdown.py"]
    assert "requirements.lock" not in _selected(hooks["codespell"], files)


def test_type_check_is_strict_and_fails_on_a_type_error(tmp_path: Path) -> None:
    """The mypy hook, with the project's configuration, rejects a wrong return type and an
    unannotated function (so `strict` is on), naming the file, the line and the error code."""
    hook = {hook["id"]: hook for hook in _hooks()}["mypy"]
    bad = tmp_path / "bad.py"
    bad.write_text('def count() -> int:\n    return "three"\n\n\ndef untyped(x):\n    return x\n', encoding="utf-8")
    # A private mypy cache: the shared one would answer for "bad.py" with the path of an earlier run.
    config = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "mypy-cache")]
    command = [*shlex.split(hook["entry"]), *config, str(bad)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{bad}:2: error:" in result.stdout and "[return-value]" in result.stdout
    assert f"{bad}:5: error:" in result.stdout and "[no-untyped-def]" in result.stdout


def test_hygiene_hook_names_each_problem_file_and_line(tmp_path: Path) -> None:
    """The hygiene hook passes a clean file and fails on trailing whitespace, a missing or doubled
    final newline and an oversized file, naming the file and line of each."""
    hook = {hook["id"]: hook for hook in _hooks()}["hygiene"]
    files = {
        "clean.md": b"# Title\n\nText.\n",
        "crlf.txt": b"one\r\ntwo\r\n",
        "spaces.md": b"# Title\nline  \nend\n",
        "tab.py": b"x = 1\t\n",
        "no_eol.yml": b"a: 1",
        "blank_end.md": b"text\n\n",
        "big.json": b"[" + b"0," * 300_000 + b"0]\n",
        "icon.png": b"\x89PNG\r\n\x1a\n\0  \n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    def run(*names: str) -> subprocess.CompletedProcess[str]:
        command = [*shlex.split(hook["entry"]), *(str(tmp_path / name) for name in names)]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)

    clean = run("clean.md", "crlf.txt", "icon.png")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    broken = run(*(name for name in files if name not in {"clean.md", "crlf.txt", "icon.png"}))
    assert broken.returncode == 1
    assert broken.stdout.splitlines() == [
        f"{tmp_path / 'spaces.md'}:2: trailing whitespace (delete it; `make format` does for Python)",
        f"{tmp_path / 'tab.py'}:1: trailing whitespace (delete it; `make format` does for Python)",
        f"{tmp_path / 'no_eol.yml'}:1: no newline at the end of the file (add one)",
        f"{tmp_path / 'blank_end.md'}:2: blank lines at the end of the file (keep exactly one newline)",
        f"{tmp_path / 'big.json'}:1: 585 KiB is over the 500 KiB limit (generated or data files stay out of git)",
    ]


def test_ruff_requires_docstrings_in_src_only() -> None:
    """The ruff hook, with the project's configuration, rejects an undocumented public function in
    src/ (D103) and accepts the same code in tests/, as CONTRIBUTING states."""
    hook = {hook["id"]: hook for hook in _hooks()}["ruff"]
    code = '"""A module."""\n\n\ndef public() -> int:\n    return 1\n'

    def check(name: str) -> subprocess.CompletedProcess[str]:
        command = [*shlex.split(hook["entry"]), "--stdin-filename", name, "-"]
        return subprocess.run(command, cwd=ROOT, input=code, capture_output=True, text=True, timeout=60, check=False)

    in_src = check("src/figure_pipeline/example.py")
    assert in_src.returncode == 1 and "D103" in in_src.stdout, in_src.stdout + in_src.stderr
    in_tests = check("tests/test_example.py")
    assert in_tests.returncode == 0, in_tests.stdout + in_tests.stderr
