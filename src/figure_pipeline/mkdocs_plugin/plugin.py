"""The `figures` MkDocs plugin: render changed figure scripts, publish them, check references.

All the work happens in the engine-free core (`figure_pipeline.render` and
`figure_pipeline.markdown`); this module only connects it to MkDocs' build events. Each build's
figures reach the Markdown extension in memory (one manifest per build). Under `mkdocs serve`,
renders run off the request path (`live.py`), and `page_input_fingerprint` tells an incremental
rebuilder (`site_extensions.incremental`) which figures changed.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.base import ConfigErrors, ConfigWarnings, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

if TYPE_CHECKING:  # importing the live-reload server pulls in watchdog; `mkdocs build` never needs it
    from mkdocs.livereload import LiveReloadServer

from ..forkserver import ForkServer
from ..markdown import find_references, record_fingerprint, suggest
from ..options import RenderOptions
from ..render import RenderReport, manifest_record, render_all
from ..sandbox import SandboxUnavailable
from .config import FiguresConfig, render_options
from .live import LiveRenders, Stamps, provisional_records, script_stamps

log = get_plugin_logger(__name__)
EXTENSION = "figure_pipeline.markdown"
# How long a `mkdocs serve` rebuild waits for figure renders before it shows the last good pictures
# (requests wait for the rebuild, so this bounds how long a hanging script can hold the server).
SERVE_WAIT_SECONDS = 2.0


class FiguresPlugin(BasePlugin[FiguresConfig]):
    """Renders `diagrams` scripts to SVG figures at build time."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.options: RenderOptions | None = None
        self.records: dict[str, dict[str, Any]] = {}  # this build's manifest: figure name -> record
        self.rendered_stamps: Stamps = {}  # the scripts as the last finished render pass read them
        self.server: ForkServer | None = None
        self.live: LiveRenders | None = None
        self.signals: Path | None = None  # under `serve`: a watched folder, touched to request a rebuild
        self.logged: RenderReport | None = None
        self.sandbox_said = ""

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """MkDocs' validation, but an unknown option is an error with a 'did you mean' (a typo
        such as `timeuot` would otherwise be dropped with only a warning)."""
        errors, warnings = super().load_config(options, config_file_path)
        known = [name for name, _ in self.config_class._schema]
        kept: ConfigWarnings = []
        for key, message in warnings:
            if key in known or not message.startswith("Unrecognised configuration name"):
                kept.append((key, message))
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            fix = f"did you mean '{close[0]}'?" if close else f"the options are: {', '.join(sorted(known))}"
            errors.append((key, ValidationError(f"unknown option '{key}' of the figures plugin; {fix}")))
        return errors, kept

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance alive across `mkdocs serve` rebuilds.
        if command == "serve":  # one warm fork server for every rebuild: a figure edit skips the imports
            self.server = ForkServer()
            self.live = LiveRenders(self.server, self._request_rebuild)

    def on_shutdown(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.signals is not None:
            shutil.rmtree(self.signals, ignore_errors=True)
            with contextlib.suppress(OSError):
                self.signals.parent.rmdir()  # only when no other `serve` uses the cache

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path).parent
        self.options = render_options(self.config, root)
        try:
            self.options.validate()
        except ValueError as exc:
            raise PluginError(f"figures plugin: {exc} (in {config.config_file_path})") from exc
        # The Markdown extension reads the manifest this plugin writes; keep them pointed at each other.
        if EXTENSION not in config.markdown_extensions:
            config.markdown_extensions.append(EXTENSION)
        config.mdx_configs[EXTENSION] = {
            **config.mdx_configs.get(EXTENSION, {}),
            "url_base": "/" + self.config.figures_dir.strip("/"),
        }
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.options is None:
            return None
        self.records = self._render()
        # The pages of this build read this build's figures, not the manifest file another process may rewrite.
        config.mdx_configs[EXTENSION]["manifest"] = self.records
        for name, record in self.records.items():
            if record.get("status") != "ok":
                continue
            for key, suffix in (("light", ".svg"), ("dark", ".dark.svg")):
                uri = f"{self.config.figures_dir.strip('/')}/{name}{suffix}"
                if files.get_file_from_path(uri) is not None:
                    raise PluginError(f"figures plugin: docs/{uri} would be overwritten by figure '{name}'")
                files.append(File.generated(config, uri, abs_src_path=record[key]))
        return files

    def _render(self) -> dict[str, dict[str, Any]]:
        """This build's figure records; under `serve`, without waiting long for slow scripts."""
        assert self.options is not None
        first = not self.rendered_stamps
        report: RenderReport | None
        if self.live is None:
            try:
                report = render_all(self.options, server=self.server)
            except (SandboxUnavailable, ValueError) as exc:
                raise PluginError(f"figures plugin: {exc}") from exc
        else:  # the first serve build waits: there is nothing to show yet, and nobody is served
            report = self.live.report(self.options, wait=None if first else SERVE_WAIT_SECONDS)
        if report is None:
            log.info("still rendering; pages show the last good pictures until the renders finish")
            return provisional_records(self.records, self.rendered_stamps, self.options)
        if report is not self.logged:  # a serve rebuild may reuse the last pass: report it once
            self.logged = report
            if report.sandbox != self.sandbox_said:  # once per build, and once per `mkdocs serve`
                self.sandbox_said = report.sandbox
                log.info(report.sandbox)  # not a warning: macOS has no bubblewrap, and strict builds must pass there
            log.info(report.summary())
            if report.swept:
                log.info(f"removed {report.swept} temp folders left by killed builds")
            for note in report.notes:
                (log.info if "corrupt" in note else log.warning)(note)
            for problem in report.problems:
                log.error(problem.describe())
        self.rendered_stamps = script_stamps(self.options) if self.live is None else self.live.last_stamps()
        return {name: manifest_record(result) for name, result in sorted(report.results.items())}

    def page_input_fingerprint(self, key: str) -> str | None:
        """For `site_extensions.incremental`: the state of `figure:<name>` in this build (what pages show)."""
        if not key.startswith("figure:"):
            return None
        return record_fingerprint(self.records.get(key.removeprefix("figure:")))

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        known = sorted(self.records)
        source = page.file.content_string
        offset = source[: source.find(markdown)].count("\n") if markdown and markdown in source else 0
        for line, name, standalone in find_references(markdown):
            where = f"{Path(config.docs_dir).name}/{page.file.src_uri}:{line + offset}"
            if name not in self.records:
                log.warning(f"{where}: unknown figure '{name}'; {suggest(name, known)}")
            elif not standalone:
                log.warning(f"{where}: figure '{name}' must stand on a line of its own: ![Caption](figure:{name})")
        return None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if self.config.enabled and self.options is not None:
            server.watch(str(self.options.scripts_dir))
            # A background render that outlived its rebuild asks for another one by touching a file here.
            self.signals = self.options.cache_dir / "serve" / str(os.getpid())
            self.signals.mkdir(parents=True, exist_ok=True)
            server.watch(str(self.signals))
        return server

    def _request_rebuild(self) -> None:
        if self.signals is not None and self.signals.is_dir():
            (self.signals / "rendered").write_text(str(os.getpid()), encoding="utf-8")
