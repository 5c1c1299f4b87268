"""The text alternative derived from the diagram's graph."""

from __future__ import annotations

import pytest

from figure_pipeline.describe import describe

MODEL = {
    "title": "Mesh call",
    "direction": "LR",
    "nodes": [
        {"id": "n1", "label": "client", "kind": "User", "groups": []},
        {"id": "n2", "label": "sidecar\nproxy", "kind": "Envoy", "groups": ["node", "pod"]},
        {"id": "n3", "label": "", "kind": "Pod", "groups": ["node", "pod"]},
        {"id": "n4", "label": "kubelet", "kind": "Kubelet", "groups": ["node"]},
    ],
    "edges": [
        {"tail": "n1", "head": "n2", "label": "mTLS", "direction": "forward"},
        {"tail": "n2", "head": "n3", "label": "", "direction": "both"},
        {"tail": "n4", "head": "n3", "label": "starts", "direction": "back"},
    ],
    "groups": [{"label": "node", "parents": []}, {"label": "pod", "parents": ["node"]}],
}


def test_summary_counts_parts() -> None:
    assert describe(MODEL)["summary"] == "Mesh call: 4 components in 2 groups, 3 connections."


def test_groups_list_members_and_nesting() -> None:
    groups = describe(MODEL)["groups"]
    assert groups[0] == {"label": "node", "within": "", "members": ["kubelet"], "groups": ["pod"]}
    assert groups[1] == {"label": "pod", "within": "node", "members": ["sidecar proxy", "Pod"], "groups": []}


def test_connections_keep_direction_and_label() -> None:
    assert describe(MODEL)["connections"] == [
        "client → sidecar proxy: mTLS",
        "sidecar proxy ↔ Pod",
        "kubelet ← Pod: starts",
    ]
    assert describe(MODEL)["ungrouped"] == ["client"]


def test_hyphen_line_breaks_rejoin_without_a_space() -> None:
    from figure_pipeline.describe import flatten_label

    assert flatten_label("external-\nprovisioner") == "external-provisioner"
    assert flatten_label("sidecar\n proxy") == "sidecar proxy"


def test_sibling_groups_with_the_same_label_keep_their_own_members() -> None:
    """Two `group("pod")` boxes side by side: each lists only its own pod (review §2.9)."""
    import diagrams
    from diagrams.k8s.compute import Pod

    from figure_pipeline.capture import Recorder, patched_diagrams

    recorder = Recorder()
    with patched_diagrams(recorder), diagrams.Diagram("Two pods"):
        with diagrams.Cluster("node"):
            with diagrams.Cluster("pod"):
                Pod("app")
            with diagrams.Cluster("pod"):
                Pod("db")
        with diagrams.Cluster("node"):
            Pod("cache")
    groups = describe(recorder.figures[0].to_model())["groups"]
    assert [(g["label"], g["members"], g["groups"]) for g in groups] == [
        ("node", [], ["pod", "pod"]),
        ("pod", ["app"], []),
        ("pod", ["db"], []),
        ("node", ["cache"], []),
    ]


def test_patched_diagrams_puts_every_hook_back_even_when_the_script_fails() -> None:
    import diagrams

    from figure_pipeline.capture import Recorder, patched_diagrams

    hooks = [(diagrams.Diagram, "__init__"), (diagrams.Diagram, "__exit__"), (diagrams.Diagram, "connect")]
    hooks += [(diagrams.Node, "__init__"), (diagrams.Node, "_rand_id"), (diagrams.Cluster, "__init__")]
    before = [owner.__dict__[name] for owner, name in hooks]
    with pytest.raises(RuntimeError), patched_diagrams(Recorder()):
        assert [owner.__dict__[name] for owner, name in hooks] != before
        raise RuntimeError("the script failed")
    assert all(owner.__dict__[name] is saved for (owner, name), saved in zip(hooks, before, strict=True))
    assert isinstance(diagrams.Node.__dict__["_rand_id"], staticmethod)
