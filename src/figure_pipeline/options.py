"""How a render pass is configured: `RenderOptions`, checked before anything runs.

Every way in builds one: the CLI from its flags, the MkDocs plugin from its options
(`mkdocs_plugin/config.py`), the benchmark and the tests directly. Their defaults all come
from `defaults.py`.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import defaults, errors, lint, sandbox
from .cache import graphviz_version


def relative_to_cwd(path: Path) -> str:
    """The path as the build log and error messages show it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class RenderOptions:
    """Where the scripts are, where the cache lives, and how to run renders."""

    scripts_dir: Path
    cache_dir: Path
    style_module: str = defaults.STYLE_MODULE
    workers: int = defaults.WORKERS  # the `concurrency` option and --concurrency; 0 means one per core
    timeout: float = defaults.TIMEOUT_S
    icon_px: int = defaults.ICON_PX
    memory_mb: int = defaults.MEMORY_MB
    lint_ignore: tuple[str, ...] = ()  # figure-lint rules not enforced (see lint.RULES)
    project_dir: Path | None = None  # read-only in the sandbox; default: the scripts folder's parent

    def validate(self) -> None:
        """Raise ValueError naming the bad option and what to use instead."""
        if not self.scripts_dir.is_dir():
            raise ValueError(f"scripts_dir '{self.scripts_dir}' is not a directory; point it at the figure scripts")
        if not (self.scripts_dir / self.style_module).is_file():
            raise ValueError(
                f"style_module '{self.style_module}' not found in '{self.scripts_dir}'; "
                "name the house-style file that figure scripts import"
            )
        if self.workers < 0:
            raise ValueError(f"concurrency must be 0 (one per core) or more, not {self.workers}")
        if not 0 < self.timeout <= 3600:
            raise ValueError(f"timeout must be between 0 and 3600 seconds, not {self.timeout}")
        if not 16 <= self.icon_px <= 1024:
            raise ValueError(f"icon_px must be between 16 and 1024, not {self.icon_px}")
        if not 256 <= self.memory_mb <= 65536:
            raise ValueError(f"memory_limit must be between 256 and 65536 MiB, not {self.memory_mb}")
        unknown = sorted(set(self.lint_ignore) - set(lint.RULES))
        if unknown:
            raise ValueError(f"lint_ignore names unknown rules {unknown}; the rules are: {', '.join(lint.RULES)}")
        if shutil.which("dot") is None:
            raise ValueError(f"Graphviz is not installed: the `dot` program is not on PATH; {errors.INSTALL_DOT}")
        graphviz_version()  # raises GraphvizMissing (a ValueError) when `dot` does not run

    def limits(self) -> sandbox.Limits:
        """The resource limits of one render under these options."""
        return sandbox.Limits(memory_mb=self.memory_mb, cpu_seconds=int(self.timeout) + 10)

    def read_only_paths(self) -> list[Path]:
        """What a render may read besides the system: the project and its scripts."""
        project = self.project_dir or self.scripts_dir.resolve().parent
        return [project.resolve(), self.scripts_dir.resolve()]

    def icon_roots(self) -> list[Path]:
        """The folders icons may be embedded from: diagrams' own resources and the project."""
        import diagrams

        return [Path(diagrams.__file__).resolve().parent.parent / "resources", *self.read_only_paths()]

    @property
    def worker_count(self) -> int:
        """How many renders run at once."""
        return self.workers or os.cpu_count() or 1

    @property
    def deadline(self) -> float:
        """Seconds after which the build kills a render: a backstop, since the runner's own
        timeout (which names the script line) fires first."""
        return self.timeout + 15

    def key_options(self) -> dict[str, Any]:
        """The options that change rendered output (and so belong in the cache key)."""
        return {"icon_px": self.icon_px}
