"""One broken script per error class: each names the script, the line where knowable, the cause."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from figure_pipeline import errors
from figure_pipeline.render import copy_figures, render_all
from helpers import GOOD_SCRIPT, PROBE_LINT, options

BROKEN = {
    errors.SYNTAX: (
        """
        from house_style import figure

        with figure("Broken")
            pass
        """,
        3,
        "syntax error",
    ),
    errors.EXCEPTION: (
        """
        from diagrams.k8s.compute import Pod
        from house_style import figure

        with figure("Broken"):
            Pod("a")
            raise RuntimeError("the figure cannot be drawn")
        """,
        6,
        "RuntimeError: the figure cannot be drawn",
    ),
    errors.UNKNOWN_NODE: (
        """
        from house_style import figure
        from diagrams.k8s.compute import Podd

        with figure("Broken"):
            Podd("a")
        """,
        2,
        "unknown node class 'Podd' in diagrams.k8s.compute",
    ),
    errors.NO_DIAGRAM: (
        """
        from diagrams.k8s.compute import Pod
        nodes = [Pod]
        """,
        None,
        "drew no diagram",
    ),
    errors.TOO_MANY: (
        """
        from diagrams.k8s.compute import Pod
        from house_style import figure

        with figure("One"):
            Pod("a")
        with figure("Two"):
            Pod("b")
        """,
        6,  # the second diagram's `with`
        "drew 2 diagrams",
    ),
    errors.GRAPHVIZ: (
        """
        from diagrams import Diagram
        from diagrams.k8s.compute import Pod

        with Diagram("Broken", graph_attr={"layout": "no-such-engine"}):
            Pod("a")
        """,
        None,
        "Graphviz failed",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_script_reports_kind_line_and_cause(tmp_path: Path, kind: str) -> None:
    source, line, message = BROKEN[kind]
    report = render_all(options(tmp_path, {"broken": source, "fine": GOOD_SCRIPT}))

    problem = report.results["broken"].problem
    assert problem is not None, f"{kind}: expected a problem"
    assert problem.kind == kind
    assert problem.line == line
    assert message in problem.message
    assert problem.script.endswith("broken.py")
    assert problem.describe().startswith(problem.location)
    # The other figure is unaffected, and nothing half-made reaches the cache.
    assert report.results["fine"].entry is not None
    assert [p.name for p in (tmp_path / "cache" / "entries").iterdir()] == [report.results["fine"].key]
    assert not any((tmp_path / "cache" / "tmp").iterdir())


def test_unknown_node_suggests_the_right_class(tmp_path: Path) -> None:
    source = BROKEN[errors.UNKNOWN_NODE][0]
    problem = render_all(options(tmp_path, {"broken": source})).results["broken"].problem
    assert problem is not None
    assert "Pod" in problem.hint


def test_hanging_script_is_killed_and_names_the_line(tmp_path: Path) -> None:
    source = """
    import time
    from house_style import figure

    with figure("Hangs"):
        while True:
            time.sleep(0.05)
    """
    report = render_all(options(tmp_path, {"hangs": source}, timeout=2.0))
    problem = report.results["hangs"].problem
    assert problem is not None
    assert problem.kind == errors.TIMEOUT
    assert problem.line in (5, 6)
    assert not (tmp_path / "cache" / "entries").exists() or not any((tmp_path / "cache" / "entries").iterdir())


def test_failures_are_not_cached(tmp_path: Path) -> None:
    opts = options(tmp_path, {"broken": BROKEN[errors.EXCEPTION][0]})
    render_all(opts)
    second = render_all(opts)
    assert second.results["broken"].problem is not None
    assert not second.results["broken"].cached


def test_script_cannot_write_into_the_source_tree(tmp_path: Path) -> None:
    source = GOOD_SCRIPT + '\nopen("stray.txt", "w").write("x")\n'
    opts = options(tmp_path, {"writes": source})
    report = render_all(opts)
    assert report.results["writes"].entry is not None
    assert not (opts.scripts_dir / "stray.txt").exists()
    assert not Path("stray.txt").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timeout", 0.0, "timeout must be"),
        ("workers", -1, "concurrency must be"),
        ("icon_px", 4, "icon_px must be"),
        ("style_module", "missing.py", "style_module 'missing.py' not found"),
    ],
)
def test_bad_options_are_rejected_with_the_option_name(tmp_path: Path, field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_all(options(tmp_path, {"fine": GOOD_SCRIPT}, **{field: value}))


def test_list_exits_non_zero_and_says_why_a_script_fails(tmp_path: Path) -> None:
    broken_source = BROKEN[errors.EXCEPTION][0]
    opts = options(tmp_path, {"good": GOOD_SCRIPT, "broken": broken_source})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "figure_pipeline",
            "list",
            "--scripts",
            str(opts.scripts_dir),
            "--cache-dir",
            str(opts.cache_dir),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("good ") and line.endswith("[ok]") for line in lines), result.stdout
    assert any(line.startswith("broken ") and line.endswith("[error]") for line in lines), result.stdout
    assert "broken.py:6: RuntimeError: the figure cannot be drawn" in result.stdout
    assert "1 of 2 figure scripts fail" in result.stderr


def test_reproduce_command_works_from_the_project_root_and_writes_nothing(tmp_path: Path) -> None:
    import shlex
    import subprocess

    opts = options(tmp_path, {"broken": BROKEN[errors.EXCEPTION][0]})
    cwd = Path.cwd()
    os.chdir(tmp_path)  # the build runs from the project root
    try:
        problem = render_all(opts).results["broken"].problem
    finally:
        os.chdir(cwd)
    assert problem is not None and problem.hint.startswith("reproduce with: ")
    command = problem.hint.removeprefix("reproduce with: ")
    assert command.endswith(" -m figure_pipeline run diagrams/broken.py")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(shlex.split(command), cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 1
    assert "diagrams/broken.py:6: RuntimeError: the figure cannot be drawn" in run.stderr
    assert "Traceback (most recent call last)" in run.stderr  # the whole traceback, as Python prints it
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "it wrote into the project"


def test_missing_graphviz_names_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opts = options(tmp_path, {"fine": GOOD_SCRIPT})
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(ValueError, match="Graphviz is not installed") as raised:
        render_all(opts)
    assert "sudo apt-get install graphviz" in str(raised.value) and "brew install graphviz" in str(raised.value)


def test_empty_figure_fails(tmp_path: Path) -> None:
    source = 'from house_style import figure\n\nwith figure("Empty"):\n    pass\n'
    problem = render_all(options(tmp_path, {"empty": source})).results["empty"].problem
    assert problem is not None and problem.kind == errors.EMPTY
    assert problem.line == 3 and "has no nodes" in problem.message


def test_out_folder_loses_the_old_picture_of_a_script_that_now_fails(tmp_path: Path) -> None:
    opts = options(tmp_path, {"fig": GOOD_SCRIPT})
    out = tmp_path / "out"
    copy_figures(render_all(opts), out)
    assert (out / "fig.svg").is_file()
    (opts.scripts_dir / "fig.py").write_text("raise RuntimeError('now broken')\n", encoding="utf-8")
    copy_figures(render_all(opts), out)
    assert not (out / "fig.svg").exists() and not (out / "fig.dark.svg").exists()


@pytest.mark.parametrize(
    ("module", "page"),
    [
        ("diagrams.k8s.computee", "nodes/k8s"),
        ("diagrams.gcpp.compute", "nodes/gcp"),
        ("diagrams.onprem.netwrk", "nodes/onprem"),
    ],
)
def test_unknown_module_links_the_right_provider_page(tmp_path: Path, module: str, page: str) -> None:
    source = f"from {module} import Thing\nfrom house_style import figure\n\nwith figure('x'):\n    Thing('a')\n"
    problem = render_all(options(tmp_path, {"broken": source})).results["broken"].problem
    assert problem is not None and problem.kind == errors.UNKNOWN_NODE and problem.line == 1
    assert problem.hint.endswith(f"https://diagrams.mingrammer.com/docs/{page}")


def test_graphviz_warnings_are_reported_with_the_script(tmp_path: Path) -> None:
    """Orthogonal edges cannot carry labels: Graphviz says so, and so does the build (a warning)."""
    source = """
    from diagrams import Diagram
    from diagrams.k8s.compute import Pod

    with Diagram("Ortho", graph_attr={"splines": "ortho"}):
        Pod("a") >> Pod("b")
        Pod("c") - Pod("d")
    """
    source = source.replace('Pod("c") - Pod("d")', 'Pod("c") >> __import__("diagrams").Edge(label="x") >> Pod("d")')
    report = render_all(options(tmp_path, {"ortho": source}, lint_ignore=PROBE_LINT))
    assert report.results["ortho"].entry is not None
    (note,) = report.notes
    assert note.endswith(
        "ortho.py: Graphviz warned: Orthogonal edges do not currently handle edge labels. Try using xlabels."
    )
    again = render_all(options(tmp_path, {"ortho": source}, lint_ignore=PROBE_LINT))
    assert again.cached == 1 and again.notes == [note], "a cached figure repeats its warnings"


def test_a_script_whose_name_is_no_figure_name_fails_with_its_own_kind(tmp_path: Path) -> None:
    """The name is the figure's URL: upper case or a space fails before the script runs, naming the fix."""
    report = render_all(options(tmp_path, {"Bad Name": GOOD_SCRIPT, "good": GOOD_SCRIPT}))
    problem = report.results["Bad Name"].problem
    assert problem is not None and problem.kind == errors.INVALID_NAME
    assert problem.message == "'Bad Name' is not a valid figure name" and problem.script.endswith("Bad Name.py")
    assert "lower case letters, digits" in problem.hint
    assert report.results["good"].entry is not None, "the other figures still render"
