"""The Nutshell build benchmark: our figure pipeline against a no-pipeline floor and prior art.

`python -m tools.bench` (`make bench`) is the entry point; `--help` lists the options.
Every measurement runs the real `mkdocs` command line on temporary copies of the site, so
nothing in the working tree (or its figure cache) is touched.

It calls the pipeline's own code for what it needs to know about a site: the plugin's option
class (`figure_pipeline.mkdocs_plugin.config`) for defaults, `render.discover` for the scripts,
`markdown.find_references` for the figure lines and the cache keys for what a build rendered;
it never reads the build's log text. The record it writes has the format of
`site_extensions.benchmark_record`, which the About page reads.
"""
