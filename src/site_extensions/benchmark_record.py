"""The benchmark record format: the one definition that the writer and the reader share.

`tools/bench` writes a record (`.cache/bench/latest.json`, and `docs/about/benchmark.json` with
`--record`) and checks it with `check` before writing; `site_extensions.benchmark` checks it
with the same function before the About page shows it. A field added or renamed here is a
change to both sides at once; raise `SCHEMA` when an old record can no longer be read.
"""

from __future__ import annotations

from typing import Any

SCHEMA = 1
REQUIRED: dict[str, type | tuple[type, ...]] = {
    "schema": int,
    "recorded": str,
    "repeats": int,
    "machine": dict,
    "builds": list,
    "targets": list,
    "scale": list,
    "serve": list,
    "bytes": dict,
}
BUILD_KEYS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "label": str,
    "median_s": (int, float),
    "runs_s": list,
    "ratio_to_floor": (int, float),
}
TARGET_KEYS = ("label", "measured", "limit", "unit", "pass")


class RecordError(ValueError):
    """The record does not follow the format; the message says which field is wrong."""


def check(data: Any) -> dict[str, Any]:
    """`data` itself if it is a valid benchmark record; otherwise raise `RecordError`."""
    if not isinstance(data, dict):
        raise RecordError("the top level must be a JSON object")
    for key, kind in REQUIRED.items():
        if key not in data:
            raise RecordError(f"missing key '{key}'")
        if not isinstance(data[key], kind) or isinstance(data[key], bool):
            raise RecordError(f"'{key}' must be {_kind(kind)}")
    if data["schema"] != SCHEMA:
        raise RecordError(f"schema {data['schema']} is not supported (this extension reads schema {SCHEMA})")
    ids = []
    for index, build in enumerate(data["builds"]):
        for key, kind in BUILD_KEYS.items():
            if not isinstance(build, dict) or key not in build:
                raise RecordError(f"builds[{index}] is missing '{key}'")
            if not isinstance(build[key], kind) or isinstance(build[key], bool):
                raise RecordError(f"builds[{index}].{key} must be {_kind(kind)}")
        ids.append(build["id"])
    if "floor" not in ids:
        raise RecordError("'builds' has no entry with id 'floor' (the no-pipeline baseline)")
    for index, target in enumerate(data["targets"]):
        for key in TARGET_KEYS:
            if not isinstance(target, dict) or key not in target:
                raise RecordError(f"targets[{index}] is missing '{key}'")
    return data


def _kind(kind: type | tuple[type, ...]) -> str:
    names = {int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(dict.fromkeys(names[k] for k in kinds))
