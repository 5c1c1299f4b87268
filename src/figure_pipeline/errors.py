"""Errors a figure script can cause, each naming the script, the line (when known) and a fix."""

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


@dataclass(frozen=True)
class FigureProblem:
    """What went wrong with one figure script."""

    script: str
    kind: str
    message: str
    line: int | None = None
    hint: str = ""

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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FigureProblem:
        return cls(**data)


class FigureError(Exception):
    """Raised when one or more figures cannot be rendered."""

    def __init__(self, problems: list[FigureProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.describe() for p in problems))
