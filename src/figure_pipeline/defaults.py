"""The pipeline's defaults, in one place: the CLI, the MkDocs plugin's options, the Markdown
extension and the benchmark all read them from here, so none can drift from the others.

Paths are relative to the project (the CLI's working directory, or the folder of mkdocs.yml).
"""

from __future__ import annotations

SCRIPTS_DIR = "diagrams"  # folder of figure scripts
STYLE_MODULE = "house_style.py"  # the house-style module in that folder, imported by every script
CACHE_DIR = ".cache/plugin/figures"  # Material's convention: .cache/plugin/<plugin name>
MANIFEST_FILE = "manifest.json"  # inside the cache folder: the contract with the Markdown extension
MANIFEST = f"{CACHE_DIR}/{MANIFEST_FILE}"
FIGURES_DIR = "figures"  # folder of the built site the SVGs are published in
URL_BASE = "/figures"  # where the Markdown extension links them: absolute from the docs root

WORKERS = 0  # parallel renders; 0 means one per core
TIMEOUT_S = 60.0  # seconds one script may run
MEMORY_MB = 2048  # address space of one render, script and Graphviz included
ICON_PX = 160  # largest box an icon is encoded for (twice its shown size, for sharp screens)

COLUMN_PX = 688  # the site's text column, at which the figure lint measures figures
PHONE_COLUMN_PX = 358  # the text column on a 390 px phone
