"""Read, edit and write a copy of mkdocs.yml without losing custom tags (`!ENV`, `!!python/name:`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Tagged:
    """A YAML node with a tag PyYAML's safe loader does not know; written back unchanged."""

    tag: str
    value: Any
    kind: str  # scalar, sequence or mapping


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        return Tagged(node.tag, loader.construct_scalar(node), "scalar")
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True), "sequence")
    assert isinstance(node, yaml.MappingNode)
    return Tagged(node.tag, loader.construct_mapping(node, deep=True), "mapping")


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if data.kind == "scalar":
        return dumper.represent_scalar(data.tag, data.value)
    if data.kind == "sequence":
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_mapping(data.tag, data.value)


_Loader.add_multi_constructor("", _construct_tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


def load(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a YAML mapping")
    return data


def dump(config: dict[str, Any], path: Path) -> None:
    path.write_text(yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def names(entries: list[Any]) -> list[str]:
    """Names in a `plugins:` or `markdown_extensions:` list."""
    return [_name(e) for e in entries]


def without(entries: list[Any], *drop: str) -> list[Any]:
    return [e for e in entries if _name(e) not in drop]


def replace(entries: list[Any], name: str, new: Any) -> list[Any]:
    """The list with entry `name` replaced by `new` (appended if absent)."""
    out = [new if _name(e) == name else e for e in entries]
    return out if name in names(entries) else [*out, new]


def options(entries: list[Any], name: str) -> dict[str, Any]:
    for entry in entries:
        if _name(entry) == name:
            return {} if isinstance(entry, str) else dict(entry[name] or {})
    return {}


def resolve(value: Any, environ: Mapping[str, str] | None = None) -> Any:
    """A setting's value as MkDocs would see it: `!ENV` tags read `environ` (default: the
    process environment); with a list, the last item is the default."""
    env = os.environ if environ is None else environ
    if not isinstance(value, Tagged) or value.tag != "!ENV":
        return value
    names = value.value if isinstance(value.value, list) else [value.value]
    for name in names[:-1] if len(names) > 1 else names:
        if name in env:
            return env[name]
    return names[-1] if len(names) > 1 else None
