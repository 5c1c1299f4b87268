"""The sites `make audit` compares: ours as published, a variant of ours, stock Material."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .. import mkdocs_config
from ..common import ROOT
from . import variants

CONFIG = ROOT / "mkdocs.yml"
FIGURE_CACHE = ROOT / ".cache" / "plugin" / "figures"


def _absolute(config: dict[str, Any], site_url: str) -> dict[str, Any]:
    """`config` buildable from any folder: the paths MkDocs reads relative to mkdocs.yml made absolute."""
    config["site_url"] = site_url
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    if config["theme"].get("custom_dir"):
        config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    figures = mkdocs_config.options(config["plugins"], "figures")
    figures.update(scripts_dir=str(ROOT / figures["scripts_dir"]), cache_dir=str(FIGURE_CACHE))
    config["plugins"] = mkdocs_config.replace(config["plugins"], "figures", {"figures": figures})
    config.pop("watch", None)
    return config


def variant_config(folder: Path, name: str, site_url: str) -> Path:
    """Our mkdocs.yml with variant `name`'s feature off, written into `folder`."""
    config = variants.apply(name, _absolute(mkdocs_config.load(CONFIG), site_url), folder)
    path = folder / "mkdocs.yml"
    mkdocs_config.dump(config, path)
    return path


def stock_config(folder: Path, site_url: str) -> Path:
    """A Material configuration with default settings over the same pages, figures and Markdown."""
    ours = mkdocs_config.load(CONFIG)
    stock = {
        "site_name": ours["site_name"],
        "site_url": site_url,
        "docs_dir": str(ROOT / "docs"),
        "theme": {"name": "material"},
        "plugins": [
            "search",
            {"figures": {"scripts_dir": str(ROOT / "diagrams"), "cache_dir": str(FIGURE_CACHE)}},
        ],
        # Our Markdown, but tables as Material ships them (wrapped by its bundle as it mounts):
        # data_tables is a speed-up of ours, and its tables need our stylesheet.
        "markdown_extensions": mkdocs_config.without(ours["markdown_extensions"], variants.DATA_TABLES),
        "validation": ours["validation"],
        "nav": ours["nav"],
    }
    path = folder / "mkdocs.yml"
    mkdocs_config.dump(stock, path)
    return path


def build(config: Path, site: Path, extra_env: dict[str, str] | None = None) -> None:
    """`mkdocs build` of `config` into `site`, from the repository root (snippets read from there)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(site)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def pages(site: Path) -> list[str]:
    """Every page of a built site, as a path relative to its root ("" is the home page)."""
    found = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site)
        if "assets" not in rel.parts:
            found.append("" if rel == Path(".") else rel.as_posix() + "/")
    return found
