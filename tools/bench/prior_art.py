"""A separate virtual environment with `mkdocs-diagrams` 1.0.0, built by the benchmark itself.

It gets the same versions of MkDocs, Material, `diagrams` and every other package the site's
configuration loads as our own environment has (which `requirements.lock` pins), so the only
difference between the two builds is the figure plugin.
"""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import sys
from pathlib import Path
from typing import Any

from .. import mkdocs_config
from .runs import BENCH_DIR, say

PRIOR_ART = "mkdocs-diagrams==1.0.0"
VENV = BENCH_DIR / "venv-mkdocs-diagrams"
OWN = {"nutshell-site"}
CORE = ("mkdocs", "mkdocs-material", "diagrams", "markdown", "pymdown-extensions", "pillow")


def _plugin_distributions(config: dict[str, Any]) -> set[str]:
    wanted = set(mkdocs_config.names(config.get("plugins", [])))
    found = set()
    for entry in metadata.entry_points(group="mkdocs.plugins"):
        if entry.name in wanted and entry.dist is not None:
            found.add(entry.dist.metadata["Name"])
    return found


def _extension_distributions(config: dict[str, Any]) -> set[str]:
    packages = metadata.packages_distributions()
    found = set()
    for name in mkdocs_config.names(config.get("markdown_extensions", [])):
        found.update(packages.get(name.split(".")[0], []))
    return found


def requirements(config: dict[str, Any]) -> list[str]:
    """`name==version` for every distribution the site's build loads, as installed here."""
    names = set(CORE) | _plugin_distributions(config) | _extension_distributions(config)
    pins = []
    for name in sorted(names, key=str.lower):
        if name.lower() in OWN:
            continue
        try:
            pins.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return [PRIOR_ART, *pins]


def ensure_venv(config: dict[str, Any]) -> Path:
    """The prior-art venv's `mkdocs`, creating or updating the venv when the pins change."""
    pins = requirements(config)
    stamp = VENV / "bench-requirements.txt"
    wanted = "\n".join(pins) + "\n"
    mkdocs = VENV / "bin" / "mkdocs"
    if mkdocs.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return mkdocs
    say(f"setting up {VENV.relative_to(BENCH_DIR.parent.parent)} with {PRIOR_ART}")
    if not (VENV / "bin" / "python").exists():
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *pins], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return mkdocs


def installed_version() -> str:
    """The mkdocs-diagrams version in the prior-art venv."""
    python = VENV / "bin" / "python"
    code = "import importlib.metadata as m; print(m.version('mkdocs-diagrams'))"
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.strip()
