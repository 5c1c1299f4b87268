"""Python-Markdown extensions used by the Nutshell site's own pages (not by the figure pipeline).

- `site_extensions.benchmark`: `[[benchmark]]` renders the recorded build benchmark
  (docs/about/benchmark.json) as tables and an accessible bar chart.
"""
