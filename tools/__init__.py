"""Developer tools that are not part of the site build, each tested by `make test`.

- `audit/` (`tools.audit`): `make audit`, Lighthouse on our site beside stock Material and beside
  our site with one feature off, paired runs through one Chromium.
- `tools.bench`: the build benchmark (`make bench`), which writes the record the About page shows.
- `tools.common`: helpers shared by the tests and the tools: the repository's ROOT and BIN,
  Chromium discovery, a free port, the site_url prefix from mkdocs.yml, a static server that
  serves a site under that prefix, and waiting until a server answers.
- `tools.hygiene`: the `hygiene` pre-commit hook (trailing whitespace, final newline, file size).
- `tools.mkdocs_config`: read, edit and write a copy of mkdocs.yml keeping its custom YAML tags.
"""
