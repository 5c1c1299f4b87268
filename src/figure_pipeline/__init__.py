"""Render `diagrams` figure scripts into cached, self-contained, accessible SVG figures.

The core (this package minus `mkdocs_plugin`) imports nothing from MkDocs, so the same figures
can feed any Python-Markdown based site generator through the CLI and the Markdown extension.
"""

__version__ = "0.1.0"
