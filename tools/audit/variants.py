"""Our site with one feature off: `--variant NAME` measures what that feature costs.

Each variant edits a copy of mkdocs.yml (as loaded by tools.mkdocs_config) and nothing else, so
the difference between `ours` and a variant in the same paired run is that feature's price.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import mkdocs_config
from ..common import ROOT

Config = dict[str, Any]

DATA_TABLES = "site_extensions.data_tables"


def _without_features(*drop: str) -> Callable[[Config, Path], None]:
    def edit(config: Config, folder: Path) -> None:
        config["theme"]["features"] = [f for f in config["theme"]["features"] if f not in drop]

    return edit


def _without_script(path: str) -> Callable[[Config, Path], None]:
    def edit(config: Config, folder: Path) -> None:
        config["extra_javascript"] = [
            e for e in config["extra_javascript"] if (e if isinstance(e, str) else e["path"]) != path
        ]

    return edit


def _without_scripts(config: Config, folder: Path) -> None:
    config.pop("extra_javascript", None)


def _without_css(config: Config, folder: Path) -> None:
    config.pop("extra_css", None)


def _without_abbreviations(config: Config, folder: Path) -> None:
    extensions = config["markdown_extensions"]
    snippets = mkdocs_config.options(extensions, "pymdownx.snippets")
    snippets.pop("auto_append", None)
    config["markdown_extensions"] = mkdocs_config.replace(
        extensions, "pymdownx.snippets", {"pymdownx.snippets": snippets}
    )


def _without_extension(name: str) -> Callable[[Config, Path], None]:
    def edit(config: Config, folder: Path) -> None:
        config["markdown_extensions"] = mkdocs_config.without(config["markdown_extensions"], name)

    return edit


def _one_palette(config: Config, folder: Path) -> None:
    config["theme"]["palette"] = {"scheme": "default", "primary": "custom", "accent": "indigo"}


def _without_versions(config: Config, folder: Path) -> None:
    config.get("extra", {}).pop("version", None)


def _without_print_page(config: Config, folder: Path) -> None:
    config["plugins"] = mkdocs_config.without(config["plugins"], "print-site", "print-assets")


def _without_partial(name: str) -> Callable[[Config, Path], None]:
    """A copy of overrides/ in the variant's folder, with partial `name` empty."""

    def edit(config: Config, folder: Path) -> None:
        overrides = folder / "overrides"
        shutil.copytree(ROOT / "overrides", overrides)
        (overrides / "partials" / name).write_text("", encoding="utf-8")
        config["theme"]["custom_dir"] = str(overrides)

    return edit


def _parser_blocking_bundle(config: Config, folder: Path) -> None:
    """A copy of overrides/ whose main.html keeps Material's own scripts block (nothing deferred)."""
    overrides = folder / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    main = overrides / "main.html"
    text = main.read_text(encoding="utf-8")
    start = text.index("{% block scripts %}")
    end = text.index("{% endblock %}", start) + len("{% endblock %}")
    main.write_text(text[:start] + text[end:], encoding="utf-8")
    config["theme"]["custom_dir"] = str(overrides)


VARIANTS: dict[str, tuple[str, Callable[[Config, Path], None]]] = {
    "no-instant": (
        "navigation.instant off (no sitemap.xml fetch, no link interception)",
        _without_features("navigation.instant", "navigation.instant.prefetch", "navigation.instant.progress"),
    ),
    "no-search-extras": (
        "search.suggest, search.highlight, search.share off",
        _without_features("search.suggest", "search.highlight", "search.share"),
    ),
    "no-tabs": ("navigation.tabs off", _without_features("navigation.tabs")),
    "no-toc-follow": ("toc.follow and navigation.tracking off", _without_features("toc.follow", "navigation.tracking")),
    "no-nav-extras": (
        "navigation.sections, .indexes, .path, .top, .footer off",
        _without_features(
            "navigation.sections", "navigation.indexes", "navigation.path", "navigation.top", "navigation.footer"
        ),
    ),
    "no-code-features": (
        "content.code.copy and content.tabs.link off",
        _without_features("content.code.copy", "content.tabs.link"),
    ),
    "no-tooltips-js": ("docs/javascripts/tooltips.js not loaded", _without_script("javascripts/tooltips.js")),
    "no-figures-js": ("docs/javascripts/figures.js not loaded", _without_script("javascripts/figures.js")),
    "no-a11y-js": ("docs/javascripts/a11y.js not loaded", _without_script("javascripts/a11y.js")),
    "no-extra-js": ("none of docs/javascripts/*.js loaded", _without_scripts),
    "no-css": ("docs/stylesheets/*.css not loaded", _without_css),
    "no-abbr": ("no glossary abbreviations on every page (snippets auto_append off)", _without_abbreviations),
    "no-data-tables": (
        "tables wrapped by Material's bundle as it mounts (a second layout of each), not at build time",
        _without_extension(DATA_TABLES),
    ),
    "full-toc": (
        "the glossary's table of contents lists all 203 terms, not the 25 letters",
        _without_extension("site_extensions.toc_depth"),
    ),
    "one-palette": ("a single light palette, no toggle", _one_palette),
    "no-versions": ("no mike version selector (no versions.json fetch)", _without_versions),
    "no-fetch-later": (
        "search index, sitemap.xml and versions.json fetched as the bundle runs, not after load",
        _without_partial("fetch-later.html"),
    ),
    "no-quiet-palette": (
        "Material's palette restyles the whole page at load (data-md-color-switching)",
        _without_partial("quiet-palette.html"),
    ),
    "no-resolved-links": (
        "instant navigation rewrites every relative link of the laid-out page, each a restyle",
        _without_partial("resolved-links.html"),
    ),
    "no-defer-bundle": (
        "Material's bundle parser-blocking at the end of the body, as Material ships it",
        _parser_blocking_bundle,
    ),
    "no-print-page": ("no mkdocs-print-site page or print action", _without_print_page),
}


def apply(name: str, config: Config, folder: Path) -> Config:
    """`config` with variant `name`'s feature off (KeyError for an unknown name); a variant that
    changes theme files writes its copy into `folder`."""
    VARIANTS[name][1](config, folder)
    return config
