"""Errors a figure script can cause, each naming the script, the line (when known) and a fix.

`FigureProblem` is the one failure type of the pipeline: the runner raises it inside the sandbox
(with `script` still empty, filled in by `render` once the figure's name is known), it travels to
the build as JSON, and the build, the manifest and the page's error box all carry the same record.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# The kinds of failure, so callers and tests can tell them apart without parsing messages.
SYNTAX = "syntax-error"
EXCEPTION = "exception"
UNKNOWN_NODE = "unknown-node"
TIMEOUT = "timeout"
NO_DIAGRAM = "no-diagram"
TOO_MANY = "several-diagrams"
GRAPHVIZ = "graphviz-error"
LINT = "figure-lint"
CRASH = "crash"
EXIT = "exit"
EMPTY = "empty-figure"
MISSING_ICON = "missing-icon"
MEMORY = "memory-limit"
SIGNAL = "signal"
UNSAFE = "unsafe-output"
INFRASTRUCTURE = "render-infrastructure"
INVALID_NAME = "invalid-name"  # the script's file name cannot be a figure name (it is the URL)

INSTALL_DOT = (
    "install Graphviz: sudo apt-get install graphviz (Debian/Ubuntu) or brew install graphviz (macOS), "
    "or run `make setup`"
)
ICON_FORMAT = "an icon must be a PNG or JPEG image: open it in an image editor and export it again as PNG"


@dataclass(frozen=True)
class FigureProblem(Exception):
    """What went wrong with one figure script: raised where it happens, then kept as a record."""

    script: str
    kind: str
    message: str
    line: int | None = None
    hint: str = ""
    details: str = ""  # the traceback, when there is one (printed by `figure_pipeline run`)

    @property
    def location(self) -> str:
        """`path:line` when the line is known, else the path."""
        return f"{self.script}:{self.line}" if self.line else self.script

    def describe(self) -> str:
        """One readable paragraph: where, what, and what to do."""
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n  --> {self.hint}"
        return text

    def __str__(self) -> str:
        return self.describe()

    def to_json(self) -> dict[str, Any]:
        """The record as the runner hands it back and the manifest stores it."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FigureProblem:
        """The problem a record describes; TypeError when the record has other fields."""
        return cls(**data)
