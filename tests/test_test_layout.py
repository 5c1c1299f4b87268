"""The test suite's own layout rule (CONTRIBUTING, "Where things live"): conftest.py holds fixtures
only, and tests import helpers from helpers.py or tools.common, never from conftest or another
test module (pytest may import a test module twice, and a helper hidden in one is found by nobody)."""

from __future__ import annotations

import ast

from helpers import ROOT

TESTS = ROOT / "tests"
# Left to the branch that owns the file: BUILTIN_GROUPS belongs in helpers.py.
PENDING = {("test_example_system.py", "test_examples")}


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
        if (module == "conftest" or module.split(".")[0].startswith("test_")) and (path.name, module) not in PENDING
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
