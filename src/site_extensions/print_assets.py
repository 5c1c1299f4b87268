"""MkDocs plugin: mkdocs-print-site's stylesheets and script only on the print page.

The plugin adds `css/print-site.css`, `css/print-site-material.css` and `js/print-site.js` to
`extra_css`/`extra_javascript`, so every page loads them; two are render-blocking stylesheets.
Their rules and functions only act on the print page (`#print-site-page`, its cover and table of
contents), so the other pages drop the three tags after rendering. Listed as `print-assets` just
before `print-site` under `plugins:` in mkdocs.yml (an installed plugin, not a `hooks:` path, so
copies of the site's configuration build anywhere); print-site is itself a MkDocs plugin, so this
goes when it goes.
"""

from __future__ import annotations

import re

from mkdocs.config.base import LegacyConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

PRINT_PAGE = "print_page.md"  # mkdocs-print-site's page (print_page_basename)
PRINT_ASSETS = re.compile(
    r'[ \t]*(?:<link rel="stylesheet" href="[^"]*css/print-site(?:-[a-z]+)?\.css">'
    r'|<script src="[^"]*js/print-site\.js"(?: defer)?></script>)[ \t]*\n?'  # deferred by overrides/main.html
)


def strip_print_assets(html: str) -> str:
    """The page without the tags that load mkdocs-print-site's assets."""
    return PRINT_ASSETS.sub("", html)


class PrintAssetsPlugin(BasePlugin[LegacyConfig]):  # no options
    """Every page but the print page loses the print-site assets."""

    def on_post_page(self, output: str, *, page: Page, **_: object) -> str:
        if page.file.src_uri == PRINT_PAGE:
            return output
        return strip_print_assets(output)
