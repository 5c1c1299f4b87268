"""Markdown extensions and MkDocs plugins of the Nutshell site's own pages (not of the figure pipeline).

- `site_extensions.benchmark`: `[[benchmark]]` renders the recorded build benchmark
  (docs/about/benchmark.json) as tables and an accessible bar chart (Python-Markdown);
  `benchmark_record` defines the record's format once, for it and for the writer, `tools/bench`.
- `site_extensions.facts` (with `facts_data`): `[[fact:key]]` and `[[state:key]]` show the
  volatile facts of data/facts.yml with their sources (Python-Markdown).
- `site_extensions.version_selector`: the MkDocs plugin that turns Material's version selector on
  only in mike builds.
- `site_extensions.plain_terms`: no abbreviation tooltips on the pages that define the terms
  (Python-Markdown).
- `site_extensions.data_tables`: tables leave the build in Material's scroll wrapper, so its
  bundle does not lay each one out again as it mounts (Python-Markdown).
- `site_extensions.toc_depth`: a shallower table of contents on the pages that ask for one (the
  glossary lists its letters, not every term) (Python-Markdown).
- `site_extensions.print_assets`: the MkDocs plugin that keeps mkdocs-print-site's stylesheets and
  script off every page but the print page.
- `site_extensions.incremental`: the MkDocs plugin that makes `mkdocs serve --dirty` rebuilds
  exact, with `page_inputs` (what each page read while it rendered, engine-free) and
  `mkdocs_compat` (the private MkDocs, Material and print-site details it relies on).
"""
