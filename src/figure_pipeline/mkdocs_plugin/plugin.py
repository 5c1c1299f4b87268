"""The `figures` MkDocs plugin: render changed figure scripts, publish them, check references.

All the work happens in the engine-free core (`figure_pipeline.render` and
`figure_pipeline.markdown`); this module only connects it to MkDocs' build events.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

if TYPE_CHECKING:  # importing the live-reload server pulls in watchdog; `mkdocs build` never needs it
    from mkdocs.livereload import LiveReloadServer

from ..markdown import find_references, suggest
from ..render import ForkServer, RenderOptions, RenderReport, render_all
from .config import FiguresConfig

log = get_plugin_logger(__name__)
EXTENSION = "figure_pipeline.markdown"


class FiguresPlugin(BasePlugin[FiguresConfig]):
    """Renders `diagrams` scripts to SVG figures at build time."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.options: RenderOptions | None = None
        self.report = RenderReport()
        self.dirty = False
        self.keys: dict[str, str | None] = {}  # figure -> cache key of the last build (None: failed)
        self.figures_by_page: dict[str, set[str]] = {}
        self.server: ForkServer | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance alive across `mkdocs serve` rebuilds.
        self.dirty = dirty
        if command == "serve":  # one warm fork server for every rebuild: a figure edit skips the imports
            self.server = ForkServer()

    def on_shutdown(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path).parent
        self.options = RenderOptions(
            scripts_dir=root / self.config.scripts_dir,
            cache_dir=root / self.config.cache_dir,
            style_module=self.config.style_module,
            workers=self.config.concurrency,
            timeout=float(self.config.timeout),
            lint_ignore=tuple(self.config.lint_ignore),
        )
        try:
            self.options.validate()
        except ValueError as exc:
            raise PluginError(f"figures plugin: {exc} (in {config.config_file_path})") from exc
        # The Markdown extension reads the manifest this plugin writes; keep them pointed at each other.
        if EXTENSION not in config.markdown_extensions:
            config.markdown_extensions.append(EXTENSION)
        config.mdx_configs[EXTENSION] = {
            **config.mdx_configs.get(EXTENSION, {}),
            "manifest": str(self.options.cache_dir / "manifest.json"),
            "url_base": "/" + self.config.site_dir.strip("/"),
        }
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.options is None:
            return None
        self.report = render_all(self.options, server=self.server)
        log.info(self.report.summary())
        for problem in self.report.problems:
            log.error(problem.describe())
        keys = {name: (result.key if result.entry else None) for name, result in self.report.results.items()}
        if self.dirty:
            self._rebuild_pages_showing(
                {name for name in keys.keys() | self.keys.keys() if keys.get(name) != self.keys.get(name)}, files
            )
        self.keys = keys
        for name, result in sorted(self.report.results.items()):
            if result.entry is None:
                continue
            for source, suffix in ((result.entry.light_svg, ".svg"), (result.entry.dark_svg, ".dark.svg")):
                uri = f"{self.config.site_dir.strip('/')}/{name}{suffix}"
                if files.get_file_from_path(uri) is not None:
                    raise PluginError(f"figures plugin: docs/{uri} would be overwritten by figure '{name}'")
                files.append(File.generated(config, uri, abs_src_path=str(source)))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        known = sorted(self.report.results)
        source = page.file.content_string
        offset = source[: source.find(markdown)].count("\n") if markdown and markdown in source else 0
        references = find_references(markdown)
        self.figures_by_page[page.file.src_uri] = {name for _, name, _ in references}
        for line, name, standalone in references:
            where = f"{config.docs_dir.rstrip('/').rsplit('/', 1)[-1]}/{page.file.src_uri}:{line + offset}"
            if name not in self.report.results:
                log.warning(f"{where}: unknown figure '{name}'; {suggest(name, known)}")
            elif not standalone:
                log.warning(f"{where}: figure '{name}' must stand on a line of its own: ![Caption](figure:{name})")
        return None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if self.enabled and self.options is not None:
            server.watch(str(self.options.scripts_dir))
        return server

    def _rebuild_pages_showing(self, figures: set[str], files: Files) -> None:
        """Under `mkdocs serve --dirty`, re-render the pages whose figures changed (captions, text alternatives)."""
        for file in files.documentation_pages():
            if self.figures_by_page.get(file.src_uri, set()) & figures:
                # A dirty build re-renders a page whose output is older than its source, or missing.
                Path(file.abs_dest_path).unlink(missing_ok=True)

    @property
    def enabled(self) -> bool:
        return bool(self.config.enabled)
