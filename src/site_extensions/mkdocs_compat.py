"""Every use `incremental` makes of private MkDocs, Material or print-site internals, in one place.

Each one is checked against the versions it was written for (`unsupported`). On any other
version the `incremental` plugin does not guess: it makes every `mkdocs serve --dirty` rebuild
a full one, and says so once. The differential test (`tests/test_incremental.py`) is what
proves these touch points still hold after an upgrade; widen a range only after it passes.

- `set_rendered_title`: writes `Page._title_from_render`, so a skipped page keeps the title its
  last render found;
- `share_template_cache`: replaces `Theme.get_env` on the build's theme object, so compiled
  templates survive rebuilds;
- `memoize_print_site`: wraps `mkdocs_print_site_plugin.renderer.fix_internal_links`, so the print
  page re-links only the pages that changed;
- `search_entries`, `search_index_json`: Material's `SearchIndex` class and the plugin's `config`,
  so the index is written from every page instead of merged by URL prefix;
- `quiet_dirty_warning`: matches the wording of MkDocs' "dirty build" warning, which is not true
  under this plugin.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from importlib import metadata
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

# distribution -> (lowest tested version, first version not supported)
TESTED = {
    "mkdocs": ((1, 6), (1, 7)),
    "mkdocs-material": ((9, 7), (10,)),
    "mkdocs-print-site-plugin": ((2, 9), (3,)),
}
SEARCH_PLUGIN = "material.plugins.search.plugin.SearchPlugin"


def _version(distribution: str) -> tuple[int, ...] | None:
    try:
        text = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
    parts = []
    for part in text.split(".")[:3]:
        digits = "".join(c for c in part if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def unsupported(config: MkDocsConfig | None = None) -> list[str]:
    """Why incremental rebuilds cannot be trusted here (empty: they can)."""
    problems = []
    for distribution, (low, high) in TESTED.items():
        version = _version(distribution)
        if version is None:
            continue  # not installed, so not in use
        if not low <= version < high:
            shown = ".".join(map(str, version))
            problems.append(
                f"{distribution} {shown} is outside the tested range "
                f"{'.'.join(map(str, low))} to below {'.'.join(map(str, high))}"
            )
    if config is not None:
        for name, plugin in config.plugins.items():
            if name.endswith("search") and _qualname(plugin) != SEARCH_PLUGIN:
                problems.append(f"the search plugin {_qualname(plugin)} is not Material's")
    return problems


def _qualname(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"


def set_rendered_title(page: Page, title: str | None) -> None:
    """Give a page that was not rendered in this build the title its last render found."""
    page._title_from_render = title


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept between rebuilds; Jinja checks each template's source checksum."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def share_template_cache(config: MkDocsConfig, cache: jinja2.BytecodeCache) -> None:
    """Give every Jinja environment of this build (MkDocs' own and those plugins such as print-site
    create, all made by the theme) the shared compiled-template cache. The theme object is new on
    each rebuild, so the replacement never stacks."""
    theme, make_env = config.theme, config.theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.bytecode_cache = cache
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


class Memo:
    """Reuses a pure function's results from the previous build; forgets results nobody asked for since."""

    def __init__(self, function: Callable[..., str]) -> None:
        self.function = function
        self.previous: dict[Any, str] = {}
        self.current: dict[Any, str] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        key = (args, tuple(sorted(kwargs.items())))
        if key not in self.current:
            found = self.previous.get(key)
            self.current[key] = self.function(*args, **kwargs) if found is None else found
        return self.current[key]

    def next_build(self) -> None:
        self.previous, self.current = self.current, {}


def memoize_print_site() -> Memo | None:
    """Wrap mkdocs-print-site's `fix_internal_links` (pure: page HTML and URL in, print-page HTML out).

    It rewrites every page on every build and dominates a one-page rebuild. The renderer module
    imports the name and calls it as a global, so replacing the module attribute reaches it.
    """
    try:
        renderer = importlib.import_module("mkdocs_print_site_plugin.renderer")
    except ImportError:
        return None
    function = getattr(renderer, "fix_internal_links", None)
    if function is None:
        return None
    if not isinstance(function, Memo):
        function = Memo(function)
        renderer.fix_internal_links = function  # type: ignore[attr-defined]
    return function


def search_plugin(config: MkDocsConfig) -> Any | None:
    """Material's search plugin of this build, if the site uses it."""
    for plugin in config.plugins.values():
        if _qualname(plugin) == SEARCH_PLUGIN and plugin.config.enabled:
            return plugin
    return None


def search_entries(plugin: Any, page: Page) -> list[dict[str, Any]]:
    """The search entries Material makes for one rendered page (before its `on_page_context`)."""
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(**plugin.config)
    index.add_entry_from_context(page)
    return list(index.entries)


def search_index_json(plugin: Any, entries: list[dict[str, Any]]) -> str:
    """`search/search_index.json` holding `entries`, exactly as Material writes it."""
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(**plugin.config)
    index.entries = entries
    text: str = index.generate_search_index(None)
    return text


class _DirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


_FILTER = _DirtyWarning()


def quiet_dirty_warning() -> None:
    """Drop MkDocs' warning that dirty builds give inaccurate navigation: this plugin makes them exact."""
    logger = logging.getLogger("mkdocs.commands.build")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
