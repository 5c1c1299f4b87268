"""Extensions used by the Nutshell site's own pages (not by the figure pipeline).

- `site_extensions.benchmark`: `[[benchmark]]` renders the recorded build benchmark
  (docs/about/benchmark.json) as tables and an accessible bar chart (Python-Markdown).
- `site_extensions.plain_terms`: no abbreviation tooltips on the pages that define the terms
  (Python-Markdown).
- `site_extensions.incremental`: the MkDocs plugin that makes `mkdocs serve --dirty` rebuilds
  exact, with `page_inputs` (what each page read while it rendered, engine-free) and
  `mkdocs_compat` (the private MkDocs, Material and print-site details it relies on).
"""
