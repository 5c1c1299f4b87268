"""Options of the `figures` MkDocs plugin, in the vocabulary of Material's built-in plugins."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from .. import defaults
from ..options import RenderOptions


class FiguresConfig(base.Config):
    """`plugins: - figures: {...}` in mkdocs.yml; paths are relative to mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    scripts_dir = c.Type(str, default=defaults.SCRIPTS_DIR)
    style_module = c.Type(str, default=defaults.STYLE_MODULE)
    cache_dir = c.Type(str, default=defaults.CACHE_DIR)
    figures_dir = c.Type(str, default=defaults.FIGURES_DIR)  # folder of the built site the SVGs are published in
    # The option's first name, which read like MkDocs' own `site_dir` (the whole output folder).
    site_dir = c.Deprecated(
        moved_to="figures_dir",
        message="The figures plugin option '{}' is deprecated: rename it to 'figures_dir' in mkdocs.yml "
        "(it is the folder inside the site for the figures, not MkDocs' site_dir).",
    )
    concurrency = c.Type(int, default=defaults.WORKERS)
    timeout = c.Type((int, float), default=defaults.TIMEOUT_S)
    memory_limit = c.Type(int, default=defaults.MEMORY_MB)  # MiB of address space one figure script may use
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
