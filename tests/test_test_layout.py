"""The test suite's own layout rule (CONTRIBUTING, "Where things live"): conftest.py holds fixtures
only, and tests import helpers from helpers.py or tools.common, never from conftest or another
test module (pytest may import a test module twice, and a helper hidden in one is found by nobody)."""

from __future__ import annotations

import ast

from helpers import ROOT

TESTS = ROOT / "tests"


def _imported_modules(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def test_no_test_imports_from_conftest_or_another_test_module() -> None:
    wrong = [
        f"tests/{path.name} imports {module}"
        for path in sorted(TESTS.glob("*.py"))
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if (module == "conftest" or module.split(".")[0].startswith("test_"))
    ]
    assert not wrong, "move the helper to tests/helpers.py (or tools/common.py if a tool needs it too): " + "; ".join(
        wrong
    )


def _is_fixture(node: ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr == "fixture":
            return True
    return False


def test_conftest_defines_only_fixtures() -> None:
    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    helpers = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
        and not (isinstance(node, ast.FunctionDef) and _is_fixture(node))
    ]
    assert not helpers, f"tests/conftest.py defines helpers {helpers}: move them to tests/helpers.py"


def _own_paths(tree: ast.Module) -> list[str]:
    """Module-level names bound to a path computed from `__file__` or `sys.executable`."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            source = ast.unparse(node.value)
            if "__file__" in source or "sys.executable" in source:
                found += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return found


def test_the_repository_root_and_bin_are_defined_once() -> None:
    """ROOT (the repository) and BIN (.venv/bin) come from tools.common; a test module or tool that
    computes its own is one more copy to keep right when files move."""
    modules = [*sorted(TESTS.glob("*.py")), *sorted((ROOT / "tools").rglob("*.py"))]
    wrong = [
        f"{path.relative_to(ROOT)} defines {name}"
        for path in modules
        if path != ROOT / "tools" / "common.py"
        for name in _own_paths(ast.parse(path.read_text(encoding="utf-8")))
        if name in {"ROOT", "BIN", "REPO", "REPOSITORY"}
    ]
    assert not wrong, "import ROOT and BIN from helpers (tests) or tools.common (tools): " + "; ".join(wrong)
