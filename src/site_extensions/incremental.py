"""The `incremental` MkDocs plugin: correct, fast `mkdocs serve --dirty` rebuilds.

MkDocs' dirty mode re-renders only the pages whose source is newer than their output. Alone, that
leaves every other page empty for the rest of the build (the print page loses them, navigation
loses their titles) and misses changes that touch every page (mkdocs.yml, snippet includes, theme
overrides). Kept alive across rebuilds, this plugin

- cleans the site (a full rebuild) when a global input or the set of pages changed;
- hands each skipped page its rendered state from the previous build;
- re-renders the templates of all pages, from that state, when a page title changed (navigation);
- keeps compiled Jinja templates in memory between rebuilds (every environment the theme makes);
- reuses mkdocs-print-site's per-page link rewriting for pages that did not change.

`mkdocs build` is not affected: the plugin only acts under `mkdocs serve --dirty`. Zensical ignores
MkDocs plugins, and needs none of this.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

log = get_plugin_logger("incremental")


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept between rebuilds; Jinja checks each template's source checksum."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


@dataclass
class PageState:
    """What a page holds after its Markdown was rendered and every plugin saw its content."""

    markdown: str | None
    content: str | None
    toc: Any
    meta: dict[str, Any]
    title: str | None
    extra: dict[str, Any]

    # Attributes other plugins hang on a page and read again after the page is built:
    # mkdocs-print-site assembles the print page from `page.html`.
    CARRIED = ("html",)

    @classmethod
    def of(cls, page: Page) -> PageState:
        extra = {name: getattr(page, name) for name in cls.CARRIED if hasattr(page, name)}
        return cls(page.markdown, page.content, page.toc, page.meta, page.title, extra)

    def restore(self, page: Page) -> None:
        page.markdown, page.content, page.toc, page.meta = self.markdown, self.content, self.toc, self.meta
        page._title_from_render = self.title
        for name, value in self.extra.items():
            setattr(page, name, value)


def global_inputs(config: MkDocsConfig, files: Files) -> str:
    """A hash over everything that shapes every page: config, watched folders, theme overrides, page set."""
    digest = hashlib.sha256()
    paths = [Path(config.config_file_path)]
    folders = [Path(p) for p in config.watch]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    for folder in folders:
        paths.extend(sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [folder])
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    for uri in sorted(f.src_uri for f in files.documentation_pages()):
        digest.update(uri.encode() + b"\0")
    return digest.hexdigest()


def rebuild_on_this_pass(file: File) -> None:
    """Make MkDocs' dirty build treat the page as modified: it compares source and output times."""
    Path(file.abs_dest_path).unlink(missing_ok=True)


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

    It rewrites every page on every build and dominates a one-page rebuild. If a future release
    moves the function, nothing is wrapped and rebuilds are merely slower.
    """
    try:
        renderer = importlib.import_module("mkdocs_print_site_plugin.renderer")
    except ImportError:
        return None
    function = getattr(renderer, "fix_internal_links", None)
    if function is None:
        return None
    if not isinstance(function, Memo):
        renderer.fix_internal_links = Memo(function)
    return renderer.fix_internal_links


class IncrementalPlugin(BasePlugin):
    """Keeps `mkdocs serve --dirty` rebuilds complete and correct."""

    def __init__(self) -> None:
        self.active = False
        self.inputs: str | None = None
        self.pages: dict[str, PageState] = {}
        self.templates = MemoryBytecodeCache()
        self.print_site: Memo | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance, and its state, alive across rebuilds.
        self.active = command == "serve" and dirty
        if self.active:
            self.print_site = memoize_print_site()

    def on_config(self, config: MkDocsConfig) -> None:
        if not self.active:
            return
        # Every Jinja environment of the build (MkDocs' own, and those plugins such as print-site
        # create) comes from the theme; give each one the shared compiled-template cache.
        theme, make_env = config.theme, config.theme.get_env

        def get_env() -> jinja2.Environment:
            env = make_env()
            env.bytecode_cache = self.templates
            return env

        theme.get_env = get_env  # type: ignore[method-assign]
        if self.print_site is not None:
            self.print_site.next_build()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> None:
        if not self.active:
            return
        inputs = global_inputs(config, files)
        if inputs != self.inputs:
            if self.inputs is not None:
                log.info("configuration, includes, theme or the set of pages changed: full rebuild")
            clean_directory(config.site_dir)
            self.pages.clear()
            self.inputs = inputs

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> None:
        if not self.active:
            return
        retitled = False
        pages = [f for f in files.documentation_pages() if f.page is not None]
        for file in pages:
            page, state = file.page, self.pages.get(file.src_uri)
            if page.content is None and state is not None:
                state.restore(page)
            elif page.content is not None and state is not None and state.title != page.title:
                retitled = True
        if retitled:  # navigation on every page shows page titles
            for file in pages:
                rebuild_on_this_pass(file)

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> None:
        if self.active:
            self.pages[page.file.src_uri] = PageState.of(page)
