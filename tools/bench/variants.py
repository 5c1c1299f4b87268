"""Temporary copies of the site, one per thing we measure.

- `ours`: the site as it is, with the figure cache pointed at a bench-private folder;
- `floor`: the same pages with the figures pre-published under `docs/figures/` as plain
  images, and neither the figures plugin nor its Markdown extension (no pipeline at all);
- `prior`: the same pages with the same scripts rendered by `mkdocs-diagrams` 1.0.0, which
  runs every `*.diagrams.py` file among the docs and writes a PNG next to it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from figure_pipeline.markdown import FIGURE_LINE, find_references
from figure_pipeline.mkdocs_plugin.config import FiguresConfig
from figure_pipeline.render import discover

from .. import mkdocs_config

PLUGIN = "figures"
EXTENSION = "figure_pipeline.markdown"
PRIOR_PLUGIN = "diagrams"
SKIP = {".git", ".venv", ".cache", "site", "tests", "src", "scripts", "node_modules", "test-results", "build", "dist"}

# mkdocs-diagrams names the PNG after the diagram title; a page needs a name it can predict, so the
# copy of the house style names it after the script instead (a file name only: same drawing work).
PRIOR_STYLE_PATCH = """

# --- added by the benchmark: name the output after the script, not the title --------------
import os as _bench_os
import sys as _bench_sys

_bench_init = Diagram.__init__


def _bench_named_init(self, name="", filename="", *args, **kwargs):
    if not filename:
        filename = _bench_os.path.basename(_bench_sys.argv[0]).removesuffix(".diagrams.py")
    _bench_init(self, name, filename, *args, **kwargs)


Diagram.__init__ = _bench_named_init
"""


@dataclass(frozen=True)
class Variant:
    """A site copy ready to build: its folder, config file and output folder."""

    name: str
    root: Path
    site_dir: Path
    # Where this variant's figure outputs go, which a cold build starts without: our private figure
    # cache, or the folder mkdocs-diagrams writes its PNGs into (beside the scripts it runs).
    figure_outputs: Path | None = None

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"


def copy_site(source: Path, target: Path) -> None:
    """Copy what a build reads (config, docs, scripts, overrides, includes...), not tools or caches."""
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.name in SKIP or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(item, target / item.name)


def figures_config(config: dict[str, Any]) -> FiguresConfig:
    """The figures plugin's options in this mkdocs.yml, validated by the plugin's own config class
    (so its defaults and deprecated names apply here exactly as in a build)."""
    plugin = FiguresConfig()
    plugin.load_dict(mkdocs_config.options(config.get("plugins", []), PLUGIN))
    errors, _ = plugin.validate()
    if errors:
        raise ValueError("figures plugin options: " + "; ".join(f"{key}: {error}" for key, error in errors))
    return plugin


def make_ours(source: Path, work: Path) -> Variant:
    root = work / "ours"
    copy_site(source, root)
    config = mkdocs_config.load(root / "mkdocs.yml")
    cache = work / "figure-cache"
    opts = {**mkdocs_config.options(config["plugins"], PLUGIN), "cache_dir": str(cache)}
    config["plugins"] = mkdocs_config.replace(config["plugins"], PLUGIN, {PLUGIN: opts})
    mkdocs_config.dump(config, root / "mkdocs.yml")
    return Variant("ours", root, work / "out-ours", cache)


def _docs_dir(root: Path, config: dict[str, Any]) -> Path:
    return root / config.get("docs_dir", "docs")


def rewrite_figure_lines(docs: Path, target_for: Any) -> int:
    """Turn each `![Caption](figure:name)` line into a plain image; returns how many were changed.

    The lines are the ones the figure extension would turn into figures (`find_references`).
    `target_for(name, page)` gives the image path relative to the page's folder.
    """
    changed = 0
    for page in sorted(docs.rglob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
        for number, name, standalone in find_references("".join(lines)):
            match = FIGURE_LINE.match(lines[number - 1].rstrip("\n")) if standalone else None
            if match is None:
                continue
            line = lines[number - 1]
            indent = line[: len(line) - len(line.lstrip(" "))]
            lines[number - 1] = f"{indent}![{match.group('caption')}]({target_for(name, page)})\n"
            changed += 1
        page.write_text("".join(lines), encoding="utf-8")
    return changed


def _relative(page: Path, target: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def _copy_for(name: str, source: Path, work: Path) -> tuple[Path, dict[str, Any], FiguresConfig, Path, Path]:
    """A copy of the site for variant `name`: its folder, config, figures options, docs folder and
    the docs folder the figures are published in."""
    root = work / name
    copy_site(source, root)
    config = mkdocs_config.load(root / "mkdocs.yml")
    figures = figures_config(config)
    docs = _docs_dir(root, config)
    return root, config, figures, docs, docs / figures.figures_dir.strip("/")


def _write_without_pipeline(root: Path, config: dict[str, Any], plugin: str | None) -> None:
    """Write the copy's mkdocs.yml with our plugin (replaced by `plugin`, if given) and extension dropped."""
    plugins = config["plugins"]
    config["plugins"] = (
        mkdocs_config.without(plugins, PLUGIN) if plugin is None else mkdocs_config.replace(plugins, PLUGIN, plugin)
    )
    config["markdown_extensions"] = mkdocs_config.without(config.get("markdown_extensions", []), EXTENSION)
    mkdocs_config.dump(config, root / "mkdocs.yml")


def make_floor(source: Path, work: Path, published: Path) -> Variant:
    """`published` holds `<name>.svg` and `<name>.dark.svg`, as `figure_pipeline render --out` writes."""
    root, config, _, docs, site_figures = _copy_for("floor", source, work)
    shutil.copytree(published, site_figures, dirs_exist_ok=True)
    rewrite_figure_lines(docs, lambda name, page: _relative(page, site_figures / f"{name}.svg"))
    _write_without_pipeline(root, config, None)
    return Variant("floor", root, work / "out-floor")


def make_prior(source: Path, work: Path) -> Variant:
    """Scripts become `docs/figures/<name>.diagrams.py`; pages point at the PNG each one writes."""
    root, config, figures, docs, folder = _copy_for("prior", source, work)
    folder.mkdir(parents=True, exist_ok=True)
    scripts = root / figures.scripts_dir
    style = scripts / figures.style_module
    for name, script in discover(scripts, figures.style_module).items():
        shutil.copy2(script, folder / f"{name}.diagrams.py")
    (folder / style.name).write_text(style.read_text(encoding="utf-8") + PRIOR_STYLE_PATCH, encoding="utf-8")
    rewrite_figure_lines(docs, lambda name, page: _relative(page, folder / f"{name}.png"))
    _write_without_pipeline(root, config, PRIOR_PLUGIN)  # mkdocs-diagrams in our plugin's place
    return Variant("prior", root, work / "out-prior", folder)


def clear_prior_outputs(variant: Variant) -> None:
    """Delete the PNGs mkdocs-diagrams wrote, for a cold prior-art build."""
    assert variant.figure_outputs is not None
    for image in variant.figure_outputs.glob("*.png"):
        image.unlink()
