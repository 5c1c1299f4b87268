"""Render `diagrams` figure scripts into cached, self-contained, accessible SVG figures.

The core (this package minus `mkdocs_plugin`) imports nothing from MkDocs, so the same figures
can feed any Python-Markdown based site generator through the CLI and the Markdown extension.

The manifest is the contract between rendering and pages. A render pass (`render.render_all`)
writes it to `<cache_dir>/manifest.json` as `{"version": 1, "figures": {name: record}}`, one
record per figure script (`render.manifest_record`):

- `script`, `key`: the script's path and its cache key;
- `status: "ok"` with `light` and `dark` (absolute paths of the two SVGs in the cache) and
  `meta` (`title`, `width`, `height`, the graph `model`, its text `description`, `warnings`);
- or `status: "error"` with `problem` (an `errors.FigureProblem` as JSON: script, kind, line,
  message, hint).

The Markdown extension (`markdown.FigureExtension`) reads only this: its `manifest` option is
the file's path (the CLI route, default `.cache/plugin/figures/manifest.json`) or the records
themselves, which the MkDocs plugin hands over in memory so each page shows what its own build
rendered; its `url_base` is where the SVGs are published (the plugin's `figures_dir`). Nothing
else passes between the two, which is what lets another site generator use the extension.

Modules, one job each:

- `defaults` (every default, read by the CLI, the plugin, the extension and the benchmark) and
  `options` (`RenderOptions`, one pass's settings, validated);
- `render` (render passes: discovery, cache lookups, the manifest records, copying SVGs out);
- `launch` (starting one render process), `runner` (the process itself, driven by one
  `RenderJob`), `forkserver` (the fork server and its client) and `sandbox` (isolation, limits);
- `capture` and `describe` (the drawn graph and its text alternative);
- `svg`, `legend`, `sanitize` and `finish` (turning Graphviz's SVG into a safe figure), `lint`
  and `geometry` (the figure lint, measured on that SVG), `contrast`, `accent` and `room`
  (its icon-contrast, one-accent-path and label-room rules), `dot` (their one reader of
  the DOT source's edges);
- `cache` (the content-addressed figure store and the icon cache);
- `errors` (`FigureProblem`, the one failure type, and its named kinds);
- `markdown` (the extension), `__main__` (the CLI) and `mkdocs_plugin` (the MkDocs glue).
"""

__version__ = "0.1.0"
