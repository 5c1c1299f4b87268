"""Every example a page shows is a real file that its tool accepts.

Dockerfiles pass hadolint. Kubernetes manifests of built-in kinds pass `kubernetes-validate
--strict` for the Kubernetes version the site targets (`kubernetes.release` in data/facts.yml);
custom resources are validated against their projects' CRD schemas in test_example_system.py,
which also checks that the examples work together; other formats must parse.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import page_rules as rules
from helpers import BIN, BUILTIN_GROUPS, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

EXAMPLES = ROOT / "docs" / "examples"
FILES = sorted(p for p in EXAMPLES.rglob("*") if p.is_file())
DOCKERFILES = [p for p in FILES if p.name == "Dockerfile" or p.name.endswith(".Dockerfile")]
YAMLS = [p for p in FILES if p.suffix in {".yaml", ".yml"}]


def _target_version() -> str:
    """The Kubernetes version the pages target: `kubernetes.release` in data/facts.yml."""
    from site_extensions.facts_data import load

    release = load(ROOT / "data" / "facts.yml")["kubernetes.release"].value
    assert release and re.fullmatch(r"\d+\.\d+", release), "kubernetes.release in data/facts.yml must be 'X.Y'"
    return release + ".0"


def _documents(path: Path) -> list[dict]:
    try:
        docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
    except yaml.YAMLError as exc:
        pytest.fail(f"{path.relative_to(ROOT)}: not valid YAML: {exc}")
    return docs


def _is_kubernetes(doc: object) -> bool:
    return isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc


_OBJECT_KEYS = {"apiversion", "kind", "metadata", "spec"}


def _looks_like_a_misspelt_object(doc: object) -> list[str]:
    """Top-level keys that make a document look like a Kubernetes object that lacks the exact
    `apiVersion` and `kind` keys (`apiversion: v1` would otherwise pass as plain YAML)."""
    if not isinstance(doc, dict) or _is_kubernetes(doc):
        return []
    found = [k for k in doc if isinstance(k, str) and k.lower().replace("_", "").replace("-", "") in _OBJECT_KEYS]
    return found if len(found) >= 2 else []


def test_there_are_examples() -> None:
    assert DOCKERFILES and YAMLS


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_dockerfile_passes_hadolint(path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "hadolint"), "--no-color", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"hadolint {path.relative_to(ROOT)}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("path", YAMLS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_manifest_is_valid(path: Path) -> None:
    import kubernetes_validate

    version = _target_version()
    rel = path.relative_to(ROOT)
    for index, doc in enumerate(_documents(path), start=1):
        if not _is_kubernetes(doc):
            near = _looks_like_a_misspelt_object(doc)
            assert not near, (
                f"{rel} (document {index}): has {', '.join(near)} but not both `apiVersion` and `kind` "
                "spelled exactly; a Kubernetes object needs them"
            )
            continue  # plain YAML configuration (e.g. a registry config): parsing is the check
        api_version, kind = doc["apiVersion"], doc["kind"]
        group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
        where = f"{rel} (document {index}, {kind})"
        if group in BUILTIN_GROUPS:
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                field = ".".join(str(p) for p in exc.path) or "(top level)"
                pytest.fail(f"{where}: field {field}: {exc.message}")
            except kubernetes_validate.SchemaNotFoundError:
                pytest.fail(f"{where}: {api_version} {kind} does not exist in Kubernetes {version}")
        else:
            # Custom resources and component configuration files: test_example_system.py checks
            # them against their CRD schemas, and fails any API group nothing validates.
            assert doc.get("metadata", {}).get("name") or kind.endswith("Configuration"), f"{where}: no name"


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if p.suffix in {".json", ".toml"}],
    ids=lambda p: str(p.relative_to(EXAMPLES)),
)
def test_config_example_parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        json.loads(text)
    else:
        tomllib.loads(text)


def test_invalid_manifest_is_rejected_naming_the_field() -> None:
    import kubernetes_validate

    bad = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replicas": "three", "selector": {}, "template": {}},
    }
    with pytest.raises(kubernetes_validate.ValidationError) as info:
        kubernetes_validate.validate(bad, _target_version(), strict=True)
    assert "replicas" in [str(p) for p in info.value.path]


def test_a_misspelt_api_version_is_not_taken_for_plain_yaml() -> None:
    pod = {"apiversion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"containers": []}}
    assert _looks_like_a_misspelt_object(pod) == ["apiversion", "kind", "metadata", "spec"]
    assert _looks_like_a_misspelt_object({"version": 0.1, "storage": {}}) == []  # a registry config
    assert _looks_like_a_misspelt_object({**pod, "apiVersion": "v1"}) == []


def test_every_example_is_shown_on_a_page() -> None:
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    included = set(re.findall(r'--8<--\s+"([^"]+)"', pages))
    shown_dirs = {str(Path(i).parent) for i in included}
    for path in FILES:
        rel = path.relative_to(ROOT).as_posix()
        in_shown_dir = any(rel.startswith(d + "/") for d in shown_dirs if d.count("/") > 2)
        assert rel in included or in_shown_dir, (
            f'{rel} is not included by any page (--8<-- "{rel}")' + rules.EXAMPLE_SHOWN.cite()
        )
