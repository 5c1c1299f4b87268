"""Options of the `figures` MkDocs plugin, in the vocabulary of Material's built-in plugins."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..render import RenderOptions


class FiguresConfig(base.Config):
    """`plugins: - figures: {...}` in mkdocs.yml; paths are relative to mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    scripts_dir = c.Type(str, default="diagrams")
    style_module = c.Type(str, default="house_style.py")
    cache_dir = c.Type(str, default=".cache/plugin/figures")
    figures_dir = c.Type(str, default="figures")  # folder of the built site the SVGs are published in
    # The option's first name, which read like MkDocs' own `site_dir` (the whole output folder).
    site_dir = c.Deprecated(
        moved_to="figures_dir",
        message="The figures plugin option '{}' is deprecated: rename it to 'figures_dir' in mkdocs.yml "
        "(it is the folder inside the site for the figures, not MkDocs' site_dir).",
    )
    concurrency = c.Type(int, default=0)
    timeout = c.Type((int, float), default=60)
    memory_limit = c.Type(int, default=2048)  # MiB of address space one figure script may use
    # Figure-lint rules (figure_pipeline.lint.RULES) not enforced yet; every other rule fails the build.
    lint_ignore = c.ListOfItems(c.Type(str), default=[])


def render_options(config: FiguresConfig, root: Path) -> RenderOptions:
    """The pipeline's options for these plugin options; paths are relative to `root` (mkdocs.yml's folder)."""
    return RenderOptions(
        scripts_dir=root / config.scripts_dir,
        cache_dir=root / config.cache_dir,
        style_module=config.style_module,
        workers=config.concurrency,
        timeout=float(config.timeout),
        memory_mb=int(config.memory_limit),
        project_dir=root,
        lint_ignore=tuple(config.lint_ignore),
    )
