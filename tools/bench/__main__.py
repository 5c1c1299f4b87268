#!/usr/bin/env python3
"""Benchmark the site build: our figure pipeline against a no-pipeline floor, against the prior-art
plugin mkdocs-diagrams 1.0.0, under `mkdocs serve`, and on generated corpora of growing size.

    make bench                      # tables on stdout, JSON in .cache/bench/latest.json
    make bench ARGS=--quick         # small sizes, one repeat: for development
    make bench ARGS=--record        # also write docs/about/benchmark.json (shown on the About page)
    .venv/bin/python -m tools.bench --sizes 100x30,300x100 --repeats 5
    .venv/bin/python -m tools.bench --quick --site tests/fixtures/site --no-prior --no-serve --no-scale

Targets are checked and printed as PASS or MISS; a MISS does not fail the command.
"""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
