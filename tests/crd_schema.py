"""Validate custom resources against CustomResourceDefinition manifests, rejecting unknown fields.

A CRD's `openAPIV3Schema` is a structural schema: an object with `properties` and no
`x-kubernetes-preserve-unknown-fields` prunes any other field, so the API server would drop a
misspelt field without an error. Here such a field is reported instead (`additionalProperties:
false` is added wherever the schema lists properties and neither preserves unknown fields nor
sets additionalProperties itself). Used for CRDs that the examples define themselves.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema

# Fields every object has, which CRD schemas may leave out.
OBJECT_FIELDS = {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}}


def strict(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of a structural schema in which unlisted fields are errors."""
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if (
                "properties" in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
                and "additionalProperties" not in node
            ):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def schemas_of(crd: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) to strict schema, for every served version of a CRD."""
    spec = crd.get("spec", {})
    group, kind = spec.get("group"), spec.get("names", {}).get("kind")
    found = {}
    for version in spec.get("versions", []):
        schema = (version.get("schema") or {}).get("openAPIV3Schema")
        if schema is None or not version.get("served", True):
            continue
        root = strict(schema)
        root.setdefault("properties", {})
        for name, field_schema in OBJECT_FIELDS.items():
            root["properties"].setdefault(name, field_schema)
        found[(f"{group}/{version['name']}", kind)] = root
    return found


def problems(schema: dict[str, Any], doc: dict[str, Any]) -> list[str]:
    """Every schema violation in a document, as `path: message`."""
    validator = jsonschema.Draft7Validator(schema)
    found = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
        path = "/" + "/".join(str(p) for p in error.path)
        found.append(f"{path}: {error.message}")
    return found
