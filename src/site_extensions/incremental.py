"""The `incremental` MkDocs plugin: `mkdocs serve --dirty` rebuilds that equal a clean build.

MkDocs' dirty mode re-renders only the pages whose source is newer than their output. Alone, that
misses what a page *includes*, empties the pages it skips (print page, navigation titles, search)
and copies a file only when its source is newer. Kept alive across rebuilds, this plugin is the
one owner of what each rebuild redoes:

- **Dependencies, recorded.** While a page renders it records what it read
  (`site_extensions.page_inputs`): snippet and data files, and named inputs such as figures,
  whose current state plugins report through `page_input_fingerprint(key)` (the figures plugin
  does). A page is rebuilt when its source or any of its inputs changed, in either direction
  (a revert to an older version counts).
- **Files, by source.** A copied file is written again when its source path, time or size
  differs from the last build (a figure that goes back to a cached render), and removed with
  its source.
- **Everything, when it must.** A full rebuild when the configuration, the theme overrides or
  the set of pages changed, or a watched file that no page read changed (its effect is unknown).
- **State, carried.** Skipped pages get their rendered state back (print page, anchors), and
  when a page title or navigation field changed every page's template is re-rendered.
- **Search, whole.** The search index is written from every page's entries, in clean-build order.

Private MkDocs, Material and print-site internals are used only through `mkdocs_compat`, which
checks their versions: on untested versions every rebuild is a full one. `mkdocs build` is not
affected. Zensical ignores MkDocs plugins and needs none of this.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from . import mkdocs_compat as compat
from .page_inputs import PageInputs, PageInputsExtension, Stamp, current, stamp, start, stop

log = get_plugin_logger("incremental")
NAV_FIELDS = ("icon", "status", "subtitle")  # front matter the theme shows in other pages' navigation


@dataclass
class PageRecord:
    """What one page's last render produced, and what it depended on."""

    source: Stamp
    files: dict[str, Stamp]
    named: dict[str, str]
    markdown: str | None = None
    content: str | None = None
    toc: Any = None
    meta: MutableMapping[str, Any] = field(default_factory=dict)
    title: str | None = None
    carried: dict[str, Any] = field(default_factory=dict)
    anchors: set[str] | None = None
    links_to_anchors: dict[str, dict[str, str]] | None = None
    search: list[dict[str, Any]] = field(default_factory=list)

    # Attributes other plugins hang on a page and read after it is built: print-site's `html`.
    CARRIED = ("html",)

    def capture(self, page: Page, content: str) -> None:
        self.markdown, self.content, self.toc, self.meta = page.markdown, content, page.toc, page.meta
        self.title = page.title
        self.carried = {name: getattr(page, name) for name in self.CARRIED if hasattr(page, name)}
        self.anchors = page.present_anchor_ids
        links = page.links_to_anchors
        self.links_to_anchors = None if links is None else {f.src_uri: v for f, v in links.items()}

    def restore(self, page: Page, files: Files) -> None:
        page.markdown, page.content, page.toc, page.meta = self.markdown, self.content, self.toc, self.meta
        compat.set_rendered_title(page, self.title)
        for name, value in self.carried.items():
            setattr(page, name, value)
        page.present_anchor_ids = self.anchors
        if self.links_to_anchors is not None:
            targets = {uri: files.get_file_from_path(uri) for uri in self.links_to_anchors}
            page.links_to_anchors = {
                target: v for u, v in self.links_to_anchors.items() if (target := targets[u]) is not None
            }

    def nav_fields(self) -> tuple[Any, ...]:
        return (self.title, *(self.meta.get(name) for name in NAV_FIELDS))


def watched_files(config: MkDocsConfig) -> dict[str, Stamp]:
    """Stamps of the files in the `watch:` folders of mkdocs.yml."""
    found: dict[str, Stamp] = {}
    for item in config.watch:
        path = Path(item)
        for file in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
            found[os.path.abspath(file)] = stamp(str(file))
    return found


def global_inputs(config: MkDocsConfig, files: Files) -> str:
    """A hash of what shapes every page: mkdocs.yml, the theme overrides and the set of pages."""
    digest = hashlib.sha256()
    paths = [Path(config.config_file_path)]
    if config.theme.custom_dir:
        paths.extend(sorted(p for p in Path(config.theme.custom_dir).rglob("*") if p.is_file()))
    for path in paths:
        digest.update(str(path).encode() + b"\0" + (path.read_bytes() if path.is_file() else b"missing") + b"\0")
    for uri in sorted(f.src_uri for f in files.documentation_pages()):
        digest.update(uri.encode() + b"\0")
    return digest.hexdigest()


def force_rebuild(file: File) -> None:
    """Make MkDocs' dirty build redo this file: it redoes a file whose output is missing."""
    Path(file.abs_dest_path).unlink(missing_ok=True)


class IncrementalConfig(base.Config):
    """`plugins: - incremental: {enabled: false}` turns it off (MkDocs' own dirty mode then applies)."""

    enabled = c.Type(bool, default=True)


class IncrementalPlugin(BasePlugin[IncrementalConfig]):
    """Keeps `mkdocs serve --dirty` rebuilds complete and exact."""

    def __init__(self) -> None:
        self.active = False
        self.full_only = False  # untested versions: every rebuild is a full one
        self.inputs: str | None = None
        self.watched: dict[str, Stamp] = {}
        self.pages: dict[str, PageRecord] = {}
        self.copies: dict[str, tuple[str, Stamp]] = {}  # output path -> (source path, source stamp)
        self.templates = compat.MemoryBytecodeCache()
        self.print_site: compat.Memo | None = None
        self.rendering: dict[str, PageRecord] = {}  # pages rendered in this build
        self.files: Files | None = None
        self.server: Any = None
        self.watching: set[str] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance, and its state, alive across rebuilds.
        self.active = command == "serve" and dirty and bool(self.config.enabled)
        if self.active:
            self.print_site = compat.memoize_print_site()
            compat.quiet_dirty_warning()

    def on_config(self, config: MkDocsConfig) -> None:
        if not self.active:
            return
        problems = compat.unsupported(config)
        if problems and not self.full_only:
            log.warning(f"{'; '.join(problems)}: every rebuild is a full one")
        self.full_only = bool(problems)
        if self.full_only:
            return
        config.markdown_extensions.append(PageInputsExtension())  # type: ignore[arg-type]
        compat.share_template_cache(config, self.templates)
        if self.print_site is not None:
            self.print_site.next_build()

    @event_priority(-100)  # after every plugin's on_files (figures have been rendered)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        if not self.active:
            return
        self.files, self.rendering = files, {}
        inputs, watched = global_inputs(config, files), watched_files(config)
        unread = {path for path in watched.keys() | self.watched.keys() if watched.get(path) != self.watched.get(path)}
        unread -= {path for record in self.pages.values() for path in record.files}
        reason = (
            "untested versions"
            if self.full_only
            else "configuration, theme overrides or the set of pages changed"
            if inputs != self.inputs
            else f"{Path(sorted(unread)[0]).name}, which no page reads, changed"
            if unread
            else None
        )
        self.inputs, self.watched = inputs, watched
        if reason is not None:
            if self.pages:
                log.info(f"{reason}: full rebuild")
            clean_directory(config.site_dir)
            self.pages.clear()
            self.copies.clear()
        for file in files.documentation_pages():
            if self._changed(self.pages.get(file.src_uri), file, config):
                force_rebuild(file)
        self._refresh_copies(files)

    def _changed(self, record: PageRecord | None, file: File, config: MkDocsConfig) -> bool:
        if record is None or stamp(file.abs_src_path or "") != record.source:
            return True
        if any(stamp(path) != was for path, was in record.files.items()):
            return True
        return any(self._fingerprint(key, config) != was for key, was in record.named.items())

    @staticmethod
    def _fingerprint(key: str, config: MkDocsConfig) -> str | None:
        for plugin in config.plugins.values():
            answer = getattr(plugin, "page_input_fingerprint", None)
            value: str | None = answer(key) if answer is not None else None
            if value is not None:
                return value
        return None  # nobody knows the input any more: treated as changed

    def _refresh_copies(self, files: Files) -> None:
        """Copy again what changed source in either direction; delete what lost its source."""
        current: dict[str, tuple[str, Stamp]] = {}
        for file in files:
            if file.is_documentation_page() or not file.abs_src_path:
                continue
            current[file.abs_dest_path] = (file.abs_src_path, stamp(file.abs_src_path))
            if self.copies.get(file.abs_dest_path) != current[file.abs_dest_path]:
                force_rebuild(file)
        for gone in self.copies.keys() - current.keys():
            Path(gone).unlink(missing_ok=True)
        self.copies = current

    @event_priority(100)  # before other plugins read the page source
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> None:
        if self.active and not self.full_only:
            self.rendering[page.file.src_uri] = PageRecord(stamp(page.file.abs_src_path or ""), {}, {})

    @event_priority(100)  # before any plugin's on_page_markdown, so their reads count too
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        if self.active and not self.full_only:
            exclude = [Path(config.site_dir), Path(sys.prefix)]
            if page.file.abs_src_path:
                exclude.append(Path(page.file.abs_src_path))
            start(PageInputs(Path(config.config_file_path).parent, exclude))

    @event_priority(-100)  # after every other plugin's on_page_content: the page as the theme gets it
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        if not self.active or self.full_only:
            return
        recorder = current()
        stop()
        record = self.rendering.get(page.file.src_uri)
        if record is not None and recorder is not None:
            record.files, record.named = recorder.files, recorder.named
            record.capture(page, html)

    @event_priority(-100)
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> None:
        if not self.active or self.full_only:
            return
        search = compat.search_plugin(config)
        renavigated = False
        pages = [(f, f.page) for f in files.documentation_pages() if f.page is not None]
        for file, page in pages:
            fresh, old = self.rendering.get(file.src_uri), self.pages.get(file.src_uri)
            if fresh is not None and fresh.content is not None:
                if search is not None:
                    fresh.search = compat.search_entries(search, page)
                renavigated |= old is not None and old.nav_fields() != fresh.nav_fields()
                self.pages[file.src_uri] = fresh
            elif old is not None:
                old.restore(page, files)
        if renavigated:  # every page's navigation (and footer) shows titles
            log.info("a page title or navigation field changed: re-rendering every page's template")
            for file, _ in pages:
                force_rebuild(file)

    @event_priority(-100)  # after Material's search plugin wrote its (merged) index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.active or self.full_only or self.files is None:
            return
        search = compat.search_plugin(config)
        if search is not None:
            entries = []
            for file in self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
                record = self.pages.get(file.src_uri)
                entries.extend(record.search if record is not None else [])
            path = Path(config.site_dir) / "search" / "search_index.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(compat.search_index_json(search, entries), encoding="utf-8")
        self._watch_inputs(config)

    def _watch_inputs(self, config: MkDocsConfig) -> None:
        """Watch files pages read outside the folders `mkdocs serve` already watches (a data file
        at the repository root), so editing one triggers a rebuild."""
        if self.server is None:
            return
        roots = [os.path.abspath(config.docs_dir), *(os.path.abspath(p) for p in config.watch)]
        for record in self.pages.values():
            for path in record.files.keys() - self.watching:
                self.watching.add(path)
                if not any(path.startswith(root + os.sep) for root in roots) and os.path.isfile(path):
                    self.server.watch(path, recursive=False)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        self.server = server
        if self.active:
            self._watch_inputs(config)
        return server

    def on_build_error(self, *, error: Exception) -> None:
        stop()
        self.inputs = None  # the recorded state may be half updated: start over next time
