"""What a page render records as its inputs, the serve-time figure records, and the version guard."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from figure_pipeline.markdown import record_fingerprint
from figure_pipeline.mkdocs_plugin.live import provisional_records, script_stamps
from figure_pipeline.options import RenderOptions
from site_extensions import mkdocs_compat
from site_extensions.page_inputs import MISSING, PageInputs, PageInputsExtension, current, start, stop


def render(text: str, recorder: PageInputs, **configs: dict) -> str:
    start(recorder)
    try:
        md = markdown.Markdown(extensions=[*configs, PageInputsExtension()], extension_configs=configs)
        return md.convert(text)
    finally:
        stop()


def test_a_snippet_is_recorded_without_the_extension_knowing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "pod.yaml").write_text("kind: Pod\n", encoding="utf-8")
    recorder = PageInputs(tmp_path)
    html = render('--8<-- "examples/pod.yaml"', recorder, **{"pymdownx.snippets": {"base_path": ["."]}})
    assert "kind: Pod" in html
    assert list(recorder.files) == [str(tmp_path / "examples" / "pod.yaml")]
    assert recorder.files[str(tmp_path / "examples" / "pod.yaml")] != MISSING


def test_only_reads_under_the_root_count_and_not_writes_code_or_excluded_folders(tmp_path: Path) -> None:
    root, outside = tmp_path / "project", tmp_path / "elsewhere.txt"
    (root / "site").mkdir(parents=True)
    outside.write_text("x", encoding="utf-8")
    for name in ("data.yml", "module.py", "site/page.html"):
        (root / name).write_text("x", encoding="utf-8")
    recorder = PageInputs(root, exclude=[root / "site"])
    start(recorder)
    try:
        for path in (outside, root / "data.yml", root / "module.py", root / "site" / "page.html"):
            path.read_text(encoding="utf-8")
        (root / "written.txt").write_text("y", encoding="utf-8")
        (root / "data.yml").open("a", encoding="utf-8").close()
    finally:
        stop()
    (root / "after.txt").write_text("z", encoding="utf-8")
    (root / "after.txt").read_text(encoding="utf-8")
    assert list(recorder.files) == [str(root / "data.yml")]
    assert current() is None


def test_extensions_report_named_inputs_through_the_markdown_instance(tmp_path: Path) -> None:
    recorder = PageInputs(tmp_path)
    figures = {"tiny": {"status": "error", "script": "diagrams/tiny.py", "problem": None}}
    render("![Caption](figure:tiny)", recorder, **{"figure_pipeline.markdown": {"manifest": figures}})
    assert recorder.named == {"figure:tiny": record_fingerprint(figures["tiny"])}
    # Without a recorder (a plain build, Zensical) the same page renders and nothing is recorded.
    html = markdown.Markdown(
        extensions=["figure_pipeline.markdown"], extension_configs={"figure_pipeline.markdown": {"manifest": figures}}
    ).convert("![Caption](figure:tiny)")
    assert "could not be rendered" in html


def _options(tmp_path: Path) -> RenderOptions:
    scripts = tmp_path / "diagrams"
    scripts.mkdir()
    for name in ("house_style.py", "kept.py", "edited.py", "broken.py", "new.py"):
        (scripts / name).write_text(f"# {name}\n", encoding="utf-8")
    return RenderOptions(scripts_dir=scripts, cache_dir=tmp_path / "cache")


def test_while_rendering_changed_figures_keep_their_last_good_picture(tmp_path: Path) -> None:
    options = _options(tmp_path)
    stamps = script_stamps(options)
    ok = {"status": "ok", "script": "diagrams/x.py", "light": "l.svg", "dark": "d.svg", "meta": {}}
    previous = {"kept": ok, "edited": ok, "broken": {"status": "error", "script": "diagrams/broken.py"}}
    for name in ("edited.py", "broken.py"):
        (options.scripts_dir / name).write_text("# changed, and longer\n", encoding="utf-8")
    records = provisional_records(previous, stamps, options)
    assert records["kept"] == ok
    assert records["edited"] == {**ok, "updating": True}
    assert records["broken"]["status"] == "pending"
    assert records["new"]["status"] == "pending"
    html = markdown.Markdown(
        extensions=["figure_pipeline.markdown"], extension_configs={"figure_pipeline.markdown": {"manifest": records}}
    ).convert("![C](figure:new)")
    assert 'class="admonition info figure-pending"' in html and "is being rendered" in html


def test_an_untested_version_turns_incremental_rebuilds_into_full_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    assert mkdocs_compat.unsupported() == []  # the pinned versions are the tested ones
    monkeypatch.setitem(mkdocs_compat.TESTED, "mkdocs", ((1, 7), (1, 8)))
    (problem,) = mkdocs_compat.unsupported()
    assert problem.startswith("mkdocs 1.6") and "tested range 1.7" in problem
