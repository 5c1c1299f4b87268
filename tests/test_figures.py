"""Every figure script in diagrams/: renders cleanly, is used by a page, follows the house rules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from figure_pipeline.markdown import find_references
from figure_pipeline.options import RenderOptions
from figure_pipeline.render import discover, render_all
from helpers import ROOT

DIAGRAMS = ROOT / "diagrams"
SCRIPTS = discover(DIAGRAMS, "house_style.py")


@pytest.fixture(scope="module")
def report():
    options = RenderOptions(scripts_dir=DIAGRAMS, cache_dir=ROOT / ".cache" / "plugin" / "figures")
    return render_all(options)


def _references() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for line, name, _ in find_references(page.read_text(encoding="utf-8")):
            used.setdefault(name, []).append(f"{page.relative_to(ROOT)}:{line}")
    return used


def test_there_are_figures() -> None:
    assert len(SCRIPTS) >= 3


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_figure_renders(report, name: str) -> None:
    result = report.results[name]
    assert result.problem is None, result.problem.describe() if result.problem else ""
    meta = result.entry.meta()
    assert meta["title"], "figure(title) must give the picture an accessible name"
    assert meta["model"]["nodes"], "a figure needs at least one node"
    svg = result.entry.light_svg.read_text(encoding="utf-8")
    assert "site-packages" not in svg


MAX_WIDTH_PX = 1100  # shown in a ~700 px column: wider figures shrink their labels below legibility


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_figure_fits_the_text_column(report, name: str) -> None:
    meta = report.results[name].entry.meta()
    assert meta["width"] <= MAX_WIDTH_PX, (
        f"{name} is {meta['width']} px wide; lay it out top to bottom or split long rows (at most {MAX_WIDTH_PX} px)"
    )


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_figure_script_follows_house_rules(name: str) -> None:
    source = SCRIPTS[name].read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert ast.get_docstring(tree), f"{name}.py needs a module docstring saying what it shows"
    imports = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "house_style" in imports, f"{name}.py must use the house style (from house_style import figure ...)"
    assert "show=" not in source and "outformat" not in source, "rendering options belong to the pipeline"


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_every_figure_is_used_by_a_page(name: str) -> None:
    assert name in _references(), f"diagrams/{name}.py is not embedded in any page: add ![Caption](figure:{name})"


def test_every_reference_has_a_script() -> None:
    missing = {name: where for name, where in _references().items() if name not in SCRIPTS}
    assert not missing, f"pages reference figures with no script: {missing}"


def test_every_reference_stands_alone_with_a_caption() -> None:
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for line, name, standalone in find_references(text):
            assert standalone, f"{page.relative_to(ROOT)}:{line}: figure '{name}' must be on its own line"
        for caption in re.findall(r"^!\[([^\]]*)\]\(figure:", text, re.M):
            assert len(caption.split()) >= 4, f"{page.relative_to(ROOT)}: give figures a full-sentence caption"


def test_diagrams_folder_never_shadows_the_library() -> None:
    assert not (DIAGRAMS / "__init__.py").exists()
    code = "import diagrams, sys; print(diagrams.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "site-packages" in out.stdout


# The icon map's rule for containers, as CONTRIBUTING.md ("The visual language") states it.
CONTAINER_ICON_RULE = "Never the Pod icon for a container"
WORKLOAD_ICONS = {"Pod", "Job", "Cronjob", "Deploy", "Deployment", "RS", "ReplicaSet", "STS", "StatefulSet"}
WORKLOAD_ICONS |= {"DS", "DaemonSet"}
_POD_GROUP = re.compile(r"\bpod\b", re.IGNORECASE)


def _label(call: ast.Call) -> str:
    first = call.args[0] if call.args else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""


def workload_icons_for_containers(source: str) -> list[str]:
    """Nodes drawn with a workload icon (Pod, Job, Deployment ...) that stand for a container:
    the label says "container", or the node sits directly in a group that is a pod."""
    tree = ast.parse(source)
    icons = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "diagrams.k8s.compute"
        for alias in node.names
        if alias.name in WORKLOAD_ICONS
    }
    found: list[str] = []

    def visit(node: ast.AST, group_label: str) -> None:
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "group":
                    group_label = _label(call)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in icons:
            label = _label(node)
            if "container" in label.lower() or _POD_GROUP.search(group_label):
                where = f" in group '{group_label}'" if group_label else ""
                found.append(f"line {node.lineno}: {node.func.id}({label!r}){where}")
        for child in ast.iter_child_nodes(node):
            visit(child, group_label)

    visit(tree, "")
    return found


def test_the_container_icon_check_finds_both_kinds_of_mistake() -> None:
    source = (
        "from diagrams.k8s.compute import Job, Pod\nfrom house_style import box, figure, group\n"
        'with figure("f"):\n    with group("web pod"):\n        a = Pod("app")\n        b = box("proxy")\n'
        '    c = Job("app container")\n    d = Pod("pods")\n'
    )
    assert workload_icons_for_containers(source) == [
        "line 5: Pod('app') in group 'web pod'",
        "line 7: Job('app container')",
    ]


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_no_workload_icon_stands_for_a_container(name: str) -> None:
    found = workload_icons_for_containers(SCRIPTS[name].read_text(encoding="utf-8"))
    assert not found, (
        f"diagrams/{name}.py draws a container with a workload icon: "
        + "; ".join(found)
        + ". Use box(...) or diagrams.k8s.compute.Container; the pod is the group around it"
        + f" (CONTRIBUTING.md, The visual language: {CONTAINER_ICON_RULE})"
    )


def test_contributing_states_the_container_icon_rule() -> None:
    assert CONTAINER_ICON_RULE in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
