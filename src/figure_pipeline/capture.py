"""Capture what a `diagrams` script draws, without letting it write or open anything.

The `diagrams` library renders when a `Diagram` context exits, into the current directory,
and opens a viewer unless `show=False`. Here its hooks are replaced for the duration of one
script run: node ids become deterministic, nothing is written, and every node, group and
connection is recorded as a plain graph model that later becomes the figure's text alternative.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class NodeInfo:
    """One drawn node: its id in the DOT source, label, kind (icon class) and enclosing groups.

    `groups` holds the group labels, outermost first; `group` is the id of the innermost group
    ("" outside any), since two sibling groups may share a label.
    """

    id: str
    label: str
    kind: str
    groups: list[str]
    group: str = ""


@dataclass
class EdgeInfo:
    """One connection between two nodes; `direction` is forward, back, both or none."""

    tail: str
    head: str
    label: str
    direction: str


@dataclass
class GroupInfo:
    """One cluster: its id (its DOT subgraph name), label, the labels of the groups around it
    (outermost first) and the id of the group it is drawn in ("" at the top level)."""

    label: str
    parents: list[str]
    id: str = ""
    parent: str = ""


@dataclass
class CapturedFigure:
    """Everything the pipeline needs from one executed script."""

    title: str
    direction: str
    dot_source: str
    nodes: list[NodeInfo] = field(default_factory=list)
    edges: list[EdgeInfo] = field(default_factory=list)
    groups: list[GroupInfo] = field(default_factory=list)

    def to_model(self) -> dict[str, Any]:
        """The graph model as JSON-ready data (no DOT source)."""
        return {
            "title": self.title,
            "direction": self.direction,
            "nodes": [asdict(n) for n in self.nodes],
            "edges": [asdict(e) for e in self.edges],
            "groups": [asdict(g) for g in self.groups],
        }


class Recorder:
    """Collects the figures a script produces while `diagrams` is patched."""

    def __init__(self, script: str | None = None) -> None:
        self.figures: list[CapturedFigure] = []
        self.lines: list[int] = []  # the script line that opened each diagram, when known
        self._script = script
        self._open: dict[int, CapturedFigure] = {}

    def opened(self) -> None:
        """Note the script line of a diagram being opened (for 'two diagrams' and 'empty' errors)."""
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == self._script:
                self.lines.append(frame.f_lineno)
                return
            frame = frame.f_back  # type: ignore[assignment]

    def current(self, diagram: Any) -> CapturedFigure:
        key = id(diagram)
        if key not in self._open:
            self._open[key] = CapturedFigure(
                title=diagram.name,
                direction=diagram.dot.graph_attr.get("rankdir", "LR"),
                dot_source="",
            )
        return self._open[key]

    def close(self, diagram: Any) -> None:
        figure = self.current(diagram)
        figure.dot_source = diagram.dot.source
        self.figures.append(figure)
        del self._open[id(diagram)]


def _group_id(cluster: Any) -> str:
    return str(cluster.name) if cluster is not None else ""


def _group_path(cluster: Any) -> list[str]:
    path: list[str] = []
    while cluster is not None:
        path.append(cluster.label)
        cluster = cluster._parent
    return list(reversed(path))


@contextlib.contextmanager
def patched_diagrams(recorder: Recorder) -> Iterator[None]:
    """Patch `diagrams` so scripts record into `recorder` instead of rendering files."""
    import diagrams

    counter = itertools.count(1)
    original_diagram_init = diagrams.Diagram.__init__
    original_connect = diagrams.Diagram.connect
    original_node_init = diagrams.Node.__init__
    original_cluster_init = diagrams.Cluster.__init__

    def diagram_init(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["show"] = False
        recorder.opened()
        original_diagram_init(self, *args, **kwargs)

    def diagram_exit(self: Any, exc_type: Any, exc: Any, tb: Any) -> None:
        diagrams.setdiagram(None)
        if exc_type is None:
            recorder.close(self)

    def diagram_connect(self: Any, node: Any, node2: Any, edge: Any) -> None:
        original_connect(self, node, node2, edge)
        attrs = edge.attrs
        recorder.current(self).edges.append(
            EdgeInfo(
                tail=node.nodeid,
                head=node2.nodeid,
                label=str(attrs.get("label", "")),
                direction=str(attrs.get("dir", "none")),
            )
        )

    def node_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_node_init(self, *args, **kwargs)
        recorder.current(self._diagram).nodes.append(
            NodeInfo(
                id=self._id,
                label=self.label,
                kind=type(self).__name__,
                groups=_group_path(self._cluster),
                group=_group_id(self._cluster),
            )
        )

    def cluster_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_cluster_init(self, *args, **kwargs)
        # diagrams names a subgraph after its label, so two groups labelled "pod" would merge.
        self.name = f"cluster_{next(counter)}"
        self.dot.name = self.name
        recorder.current(self._diagram).groups.append(
            GroupInfo(label=self.label, parents=_group_path(self._parent), id=self.name, parent=_group_id(self._parent))
        )

    with contextlib.ExitStack() as restore:
        for owner, name, replacement in (
            (diagrams.Diagram, "__init__", diagram_init),
            (diagrams.Diagram, "__exit__", diagram_exit),
            (diagrams.Diagram, "connect", diagram_connect),
            (diagrams.Node, "__init__", node_init),
            (diagrams.Node, "_rand_id", staticmethod(lambda: f"n{next(counter)}")),
            (diagrams.Cluster, "__init__", cluster_init),
        ):
            _replace(restore, owner, name, replacement)
        yield


def _replace(restore: contextlib.ExitStack, owner: type, name: str, replacement: object) -> None:
    """Set `owner.name` to `replacement` until `restore` closes; the class's own attribute is put
    back as it was (a staticmethod stays one)."""
    original = owner.__dict__[name]
    setattr(owner, name, replacement)
    restore.callback(setattr, owner, name, original)
