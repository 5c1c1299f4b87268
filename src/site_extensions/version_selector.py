"""MkDocs plugin: Material's version selector only in builds that mike makes.

Material's selector fetches `versions.json` from the folder above the site. Only a mike deploy
has one (mike writes it into the gh-pages branch and sets MIKE_DOCS_VERSION while it builds), so
a plain `mkdocs serve` or `mkdocs build` would log a 404 and a console error on every page view.
Outside mike this plugin drops `extra.version`: no selector, no request, no outdated banner.

    plugins:
      - version-selector
"""

from __future__ import annotations

import os

from mkdocs.config.base import LegacyConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger

log = get_plugin_logger(__name__)

MIKE_VERSION_VARIABLE = "MIKE_DOCS_VERSION"  # set by `mike deploy` for the build it runs


class VersionSelectorPlugin(BasePlugin[LegacyConfig]):  # no options
    """Keeps `extra.version` only when mike is building a version."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not os.environ.get(MIKE_VERSION_VARIABLE) and config.extra.get("version"):
            config.extra.pop("version")
            log.debug("no mike deploy: the version selector is off (no versions.json to fetch)")
        return config
