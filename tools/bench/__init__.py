"""The Nutshell build benchmark: our figure pipeline against a no-pipeline floor and prior art.

`scripts/bench.py` is the entry point; `python scripts/bench.py --help` lists the options.
Every measurement runs the real `mkdocs` command line on temporary copies of the site, so
nothing in the working tree (or its figure cache) is touched.
"""
