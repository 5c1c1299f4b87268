"""The contribute-by-pull-request kit: page furniture, templates, licences, and builds without git."""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import ROOT, copy_site_sources, mkdocs

GITHUB = ROOT / ".github"
REPO_URL = "https://github.com/nutshell-guide/nutshell"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _a_section_page(site: Path) -> tuple[Path, str]:
    for source in sorted((ROOT / "docs").rglob("*.md")):
        relative = source.relative_to(ROOT / "docs").as_posix()
        if "/" in relative and not relative.startswith("examples/") and not relative.endswith("index.md"):
            return site / relative[: -len(".md")] / "index.html", relative
    pytest.fail("no page below a section")


@pytest.mark.slow
def test_pages_have_edit_link_last_update_and_footer(built_site: Path) -> None:
    page, source = _a_section_page(built_site)
    soup = _soup(page)
    edit = soup.select_one("a.md-content__button[title='Edit this page']")
    assert edit is not None and edit["href"] == f"{REPO_URL}/edit/main/docs/{source}"
    assert soup.select_one(".md-source-file .git-revision-date-localized-plugin"), "no 'Last update' date"
    assert [a["href"] for a in soup.select(".md-social a")] == [REPO_URL]
    licences = [a["href"] for a in soup.select(".md-copyright a")]
    assert f"{REPO_URL}/blob/main/LICENSE-CONTENT.md" in licences and f"{REPO_URL}/blob/main/LICENSE" in licences


@pytest.mark.slow
def test_strict_build_works_in_a_copy_without_git_history(tmp_path: Path) -> None:
    """A tarball or a copy of the sources has no .git: dates fall back to the build date, no warning."""
    copy = copy_site_sources(tmp_path / "no-git")
    shared = (ROOT / ".cache" / "plugin" / "figures").as_posix()
    config = (copy / "mkdocs.yml").read_text(encoding="utf-8")
    (copy / "mkdocs.yml").write_text(config.replace("cache_dir: .cache/plugin/figures", f"cache_dir: {shared}"))
    result = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=copy, timeout=600)
    assert result.returncode == 0, f"strict build without git failed:\n{result.stderr}"
    page, _ = _a_section_page(tmp_path / "site")
    assert _soup(page).select_one(".git-revision-date-localized-plugin"), "no date without git history"


def test_licence_files_match_the_readme() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    content = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in content and "creativecommons.org/licenses/by/4.0" in content
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "MIT" in readme


def test_pull_request_template_has_a_short_checklist_then_the_page_rules() -> None:
    """A few items about the change as a whole, then the page checklist (its wording is checked
    against tests/page_rules.py by tests/test_content.py)."""
    template = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    general, _, page_rules = template.partition("### Page checklist")
    assert 3 <= len(re.findall(r"^- \[ \] ", general, re.M)) <= 7
    assert re.findall(r"^- \[ \] ", page_rules, re.M), "the template lists the page checklist"
    assert "make check" in general and "make test" in general


@pytest.mark.parametrize("name", ["content-error.yml", "new-topic.yml"])
def test_issue_forms_are_valid(name: str) -> None:
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    ids = [field["id"] for field in form["body"] if field["type"] != "markdown"]
    assert len(ids) == len(set(ids)), "field ids must be unique"
    for field in form["body"]:
        assert field["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if field["type"] == "dropdown":
            assert field["attributes"]["options"]
    assert any(field.get("validations", {}).get("required") for field in form["body"])


def test_issue_chooser_disables_blank_issues() -> None:
    config = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False
    assert config["contact_links"]


def test_contributing_covers_style_tests_versions_and_publishing() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in ("## Writing style", "## Run the tests", "## Versions and editions", "## Publishing"):
        assert heading in guide
    assert "make publish VERSION=" in guide and "git push origin gh-pages" in guide


def _where_things_live() -> dict[str, str]:
    """CONTRIBUTING's "Where things live" table: path (as written, without backticks) -> what."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    start = guide.index("## Where things live")
    section = guide[start : guide.index("\n## ", start + 1)]
    rows = [line.split(" | ", 1) for line in section.splitlines() if line.startswith("| `")]
    return {path.strip("| `"): what for path, what in rows}


def _tracked(*paths: str) -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", *paths], cwd=ROOT, capture_output=True, check=True)
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_contributing_layout_table_is_true_to_the_tree() -> None:
    """Every path in the table exists, every top-level folder has a row, and the rows for scripts/
    and tools/ name each file there, so the table cannot go stale as the README's Layout could."""
    table = _where_things_live()
    missing = [path for path in table if not list(ROOT.glob(re.sub(r"<[^>]+>", "*", path).rstrip("/")))]
    assert not missing, f"CONTRIBUTING's Where things live names paths that do not exist: {missing}"
    folders = {name.split("/")[0] for name in _tracked() if "/" in name}
    unlisted = sorted(f for f in folders if f != ".ci" and not any(path.startswith(f"{f}/") for path in table))
    assert not unlisted, f"top-level folders with no row in CONTRIBUTING's Where things live: {unlisted}"
    for folder in ("scripts", "tools"):
        entries = {name.split("/")[1] for name in _tracked(folder)} - {"__init__.py"}
        named = table[f"{folder}/"]
        unnamed = sorted(e for e in entries if not re.search(rf"`{re.escape(e)}/?`", named))
        assert not unnamed, f"CONTRIBUTING's {folder}/ row does not name {unnamed}"


def _load_new_page():
    spec = importlib.util.spec_from_file_location("new_page", ROOT / "scripts" / "new_page.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def scaffold_root(tmp_path: Path) -> Path:
    """A scratch copy of what `make new-page` writes to: mkdocs.yml, the section folders, diagrams/."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for section in ("containers", "kubernetes", "service-mesh"):
        (tmp_path / "docs" / section).mkdir(parents=True)
    shutil.copytree(ROOT / "diagrams", tmp_path / "diagrams", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_new_page_scaffold_follows_the_page_conventions(scaffold_root: Path) -> None:
    import page_rules as rules
    from figure_pipeline.markdown import find_references
    from figure_pipeline.options import RenderOptions
    from figure_pipeline.render import render_all

    new_page = _load_new_page()
    # A name no page of the guide uses, so a contributor's own new page never collides with it.
    before = (scaffold_root / "mkdocs.yml").read_text(encoding="utf-8")
    last = re.findall(r"^ +- kubernetes/[\w./-]+\.md$", before, re.M)[-1]
    new_page.scaffold(scaffold_root, "kubernetes", "scaffold-probe", "Scaffold probe")
    page = (scaffold_root / "docs" / "kubernetes" / "scaffold-probe.md").read_text(encoding="utf-8")
    nav = (scaffold_root / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"{last}\n      - kubernetes/scaffold-probe.md\n" in nav, "the page goes after the section's last page"
    assert page.startswith("---\ndescription:") and len(re.findall(r"^# ", page, re.M)) == 1
    assert f'--8<-- "{rules.KUBERNETES_VERSION_INCLUDE}"' in page and "## Related pages" in page
    assert [name for _, name, _ in find_references(page)] == ["k8s_scaffold_probe"]
    assert rules.SCAFFOLD_MARKER in page, "the places to write are marked, so the tests fail until filled"

    options = RenderOptions(scripts_dir=scaffold_root / "diagrams", cache_dir=scaffold_root / ".cache")
    report = render_all(options, {"k8s_scaffold_probe"})
    problem = report.results["k8s_scaffold_probe"].problem
    assert problem is None, problem.describe() if problem else ""


def test_new_page_scaffold_refuses_to_overwrite_or_guess(scaffold_root: Path) -> None:
    new_page = _load_new_page()
    new_page.scaffold(scaffold_root, "containers", "scaffold-probe", "Scaffold probe")
    before = (scaffold_root / "mkdocs.yml").read_text(encoding="utf-8")
    for args, message in [
        (("containers", "scaffold-probe", "Again"), "exists already"),
        (("containers", "Seccomp Profiles", "x"), "lower-case slug"),
        (("networking", "x", "x"), "SECTION must be one of"),
    ]:
        with pytest.raises(new_page.ScaffoldError, match=message):
            new_page.scaffold(scaffold_root, *args)
    assert (scaffold_root / "mkdocs.yml").read_text(encoding="utf-8") == before, "a refused scaffold writes nothing"


def _load_check():
    spec = importlib.util.spec_from_file_location("check", ROOT / "scripts" / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_check_runs_a_changed_figure_and_still_every_other_selected_module() -> None:
    check = _load_check()
    args, build = check.select(["diagrams/k8s_operators.py", "docs/kubernetes/operators.md"])
    assert build, "a page or figure change needs the strict build"
    assert {"tests/test_lint.py", "tests/test_content.py", "tests/test_figures.py"} <= set(args)
    keyword = args[args.index("-k") + 1]
    assert "k8s_operators" in keyword and "not test_figures" in keyword, "-k must not deselect the other modules"


def test_make_check_runs_the_quick_suite_for_code_and_the_examples_tests_for_examples() -> None:
    check = _load_check()
    assert check.select(["src/figure_pipeline/lint.py"])[0] == ["tests", "-m", "not browser and not slow"]
    args, build = check.select(["docs/examples/kubernetes/pods-basic.yaml"])
    assert "tests/test_examples.py" in args and "tests/test_example_system.py" in args and build
    assert check.select([".github/workflows/ci.yml"]) == (
        ["tests/test_lint.py", "tests/test_content.py", "tests/test_workflows.py"],
        False,
    )


# The packages a newcomer looks for: each module must be named in README's "Layout" and in its
# package's docstring, so neither goes stale when a module is added, split or renamed.
DOCUMENTED_PACKAGES = ("src/figure_pipeline", "src/figure_pipeline/mkdocs_plugin", "src/site_extensions", "tools")


def _modules(package: str) -> list[str]:
    """The package's modules and subpackages, as `name.py` and `name/`."""
    folder = ROOT / package
    return sorted(
        [p.name for p in folder.glob("*.py") if p.name != "__init__.py"]
        + [f"{p.name}/" for p in folder.iterdir() if (p / "__init__.py").is_file()]
    )


def _readme_layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Layout")
    return text[start : text.index("\n## ", start + 1)]


@pytest.mark.parametrize("package", DOCUMENTED_PACKAGES)
def test_readme_layout_and_the_package_docstring_name_every_module(package: str) -> None:
    layout = _readme_layout()
    docstring = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    modules = _modules(package)
    assert modules, f"{package} has no modules: update DOCUMENTED_PACKAGES"
    stems = {m: m.removesuffix(".py").removesuffix("/") for m in modules}
    missing_readme = [m for m in modules if not re.search(rf"(?<![\w.]){re.escape(stems[m])}\b", layout)]
    missing_doc = [m for m in modules if not re.search(rf"`(?:[\w.]+\.)?{re.escape(stems[m])}`", docstring)]
    if package == "src/figure_pipeline/mkdocs_plugin":
        missing_doc = []  # three glue modules, each named in README's layout line for the plugin
    assert not missing_readme, f"README's Layout does not name {missing_readme} of {package}/"
    assert not missing_doc, f"{package}/__init__.py's docstring does not name {missing_doc} (as `name`)"
