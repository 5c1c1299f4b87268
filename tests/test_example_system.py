"""The examples are one working system: what schema validation of single files cannot see.

`tests/test_examples.py` checks each file on its own (hadolint, `kubernetes-validate --strict`).
This module checks what the examples do together, as a reader who applies a section's examples
gets it (tests/cluster_model.py models that cluster). Each check is proven by a mutation that must
fail it (the `test_a_..._fails` tests beside it):

- every Service's selector matches Pods that its page declares (or a page it links to, or an
  example file it names), in its namespace, and its `targetPort` names or numbers a port they declare;
- a hand-made EndpointSlice names a selector-less Service of its page and namespace, matches that
  Service's port names, and is labelled as managed by someone other than the control plane;
- every Pod an example puts in a namespace whose example sets `pod-security.kubernetes.io/enforce`
  passes that Pod Security level, and every file marked `# pod-security: restricted` passes
  restricted (tests/pod_security.py);
- a KubeletConfiguration that sets `evictionHard` lists every default signal (or merges the
  defaults), since a signal it leaves out becomes 0;
- Gateway API routes attach to their Gateway's listener (namespace labels from the examples and
  the pages' `kubectl label namespace` commands), reach ports their backend Services expose, and
  the NetworkPolicies let the gateway's Pods reach the Pods behind them;
- each NetworkPolicy allow rule states a path (web to api on 8080), and the other side's
  policies must admit it too;
- commands on the pages use ports the Services expose (URLs, `kubectl port-forward`), and a
  `kubectl run` probe has the outcome its comment promises ("blocked", "admitted");
- LimitRange defaults (as the API server fills them in) and bounds, and ResourceQuota, agree
  with the section's own Pods;
- Roles name the kubectl commands they are for (`# kubectl: ...`) and cover what those commands
  send; `kubectl auth can-i` answers shown on a page match the RBAC examples;
- custom resources validate against the projects' CRD schemas (`@kubernetes-models/*` npm
  packages, scripts/validate_custom_resources.mjs; CRDs that the examples define, via
  tests/crd_schema.py), with unknown fields rejected; a CustomResourceDefinition is a built-in kind;
- a misspelt `apiVersion` or `kind` key, or an API group nothing validates, fails instead of
  passing as plain YAML; enum fields hold a value the Kubernetes API documents for them;
- no two example files silently define the same object; Pod Security version labels follow
  `kubernetes.release` in data/facts.yml;
- the multi-platform Dockerfile cross-compiles on `$BUILDPLATFORM`, and the reproducible-build
  example rebuilds byte for byte (see that part for what is and is not verified without a daemon).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import crd_schema
import pytest
import yaml
from cluster_model import Cluster, limit_range_defaults, quantity, rbac_allows, selects
from pod_security import level_problems

from figure_pipeline.markdown import FenceTracker
from helpers import BUILTIN_GROUPS, ROOT

DOCS = ROOT / "docs"
INCLUDE = re.compile(r'--8<--\s+"(docs/examples/[^"]+\.ya?ml)"')
POD_TEMPLATES = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

# Configuration files that are not API objects (read by a component, not sent to the API server).
CONFIG_GROUPS = {"apiserver.config.k8s.io", "kubelet.config.k8s.io"}
# Groups validated by the npm CRD packages (scripts/validate_custom_resources.mjs, PROVIDERS).
SCHEMA_GROUPS = {
    "gateway.networking.k8s.io",
    "networking.istio.io",
    "security.istio.io",
    "telemetry.istio.io",
    "install.istio.io",
    "extensions.istio.io",
}
# Projects with no CRD schema package on npm: their resources cannot be schema-checked here yet.
# Each kind used is listed with where it was last checked by hand against the project's CRDs
# (linkerd/linkerd2 charts/linkerd-crds, edge-26.8.3, 2026-12-01: the three Linkerd examples
# validate with unknown fields rejected). To close the gap, vendor the project's CRD YAML with
# its LICENSE and version and load it like an example CRD (tests/crd_schema.py), then drop the
# group here; test_pending_groups_really_lack_a_schema keeps this list honest.
PENDING_GROUPS = {"policy.linkerd.io", "linkerd.io", "cilium.io"}
PENDING_KINDS = {
    ("policy.linkerd.io/v1beta3", "Server"),
    ("policy.linkerd.io/v1alpha1", "AuthorizationPolicy"),
    ("policy.linkerd.io/v1alpha1", "MeshTLSAuthentication"),
    ("policy.linkerd.io/v1alpha1", "EgressNetwork"),  # linkerd.io/2-edge/reference/egress-network
}


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


@functools.cache
def _load(rel: str) -> list[Any]:
    return [d for d in yaml.safe_load_all((ROOT / rel).read_text(encoding="utf-8")) if d is not None]


LINK = re.compile(r"\]\(([\w./-]+\.md)(?:#[\w-]*)?\)")


def _pages() -> dict[str, list[str]]:
    """Each page with the example manifests it includes."""
    pages = {}
    for page in sorted(DOCS.rglob("*.md")):
        included = INCLUDE.findall(page.read_text(encoding="utf-8"))
        if included:
            pages[page.relative_to(ROOT).as_posix()] = list(dict.fromkeys(included))
    return pages


def _linked(page: str) -> list[str]:
    """The pages a page links to (relative links to other Markdown files)."""
    source = ROOT / page
    found = []
    for target in LINK.findall(source.read_text(encoding="utf-8")):
        path = (source.parent / target).resolve()
        if path.is_file() and DOCS in path.parents:
            found.append(path.relative_to(ROOT).as_posix())
    return found


def _named(page: str) -> list[str]:
    """Example files of the page's section that its text names (`shop-app.yaml`) without including them."""
    section = Path(page).relative_to("docs").parts[0]
    text = (ROOT / page).read_text(encoding="utf-8")
    names = set(re.findall(r"`(?:kubectl apply -f )?([\w.-]+\.ya?ml)`", text)) | set(
        re.findall(r"-f ([\w.-]+\.ya?ml)", text)
    )
    folder = DOCS / "examples" / section
    return [f"docs/examples/{section}/{n}" for n in sorted(names) if (folder / n).is_file()]


PAGES = _pages()
ALL_YAML = sorted({rel for files in PAGES.values() for rel in files})


def _objects(files: list[str]) -> list[tuple[str, dict[str, Any]]]:
    return [(rel, d) for rel in files for d in _load(rel) if isinstance(d, dict)]


# --- Services and the Pods they front ----------------------------------------------------------


def _pod_templates(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """(namespace, labels, pod spec) of the Pods an object creates."""
    kind = doc.get("kind")
    namespace = doc.get("metadata", {}).get("namespace")
    if kind == "Pod":
        return [
            {"namespace": namespace, "labels": doc.get("metadata", {}).get("labels", {}), "spec": doc.get("spec", {})}
        ]
    template = None
    if kind in POD_TEMPLATES:
        template = doc.get("spec", {}).get("template")
    elif kind == "CronJob":
        template = doc.get("spec", {}).get("jobTemplate", {}).get("spec", {}).get("template")
    if not template:
        return []
    labels = template.get("metadata", {}).get("labels", {})
    return [{"namespace": namespace, "labels": labels, "spec": template.get("spec", {})}]


def _ports(spec: dict[str, Any]) -> list[dict[str, Any]]:
    containers = spec.get("containers", []) + [c for c in spec.get("initContainers", []) if c.get("restartPolicy")]
    return [p for c in containers for p in c.get("ports", [])]


def service_problems(objects: list[tuple[str, dict[str, Any]]], elsewhere: list[dict[str, Any]] = ()) -> list[str]:
    """Services whose selector matches no Pod of the page, or whose targetPort no such Pod declares.

    `elsewhere` are the objects of the pages this page links to: a page may front the Deployment
    of a page it points the reader to ("the Deployment from Workloads").
    """
    pods = [p for _, d in objects for p in _pod_templates(d)] + [p for d in elsewhere for p in _pod_templates(d)]
    problems = []
    for rel, doc in objects:
        if doc.get("kind") != "Service" or doc.get("apiVersion") != "v1":
            continue
        spec = doc.get("spec", {})
        selector = spec.get("selector")
        if spec.get("type") == "ExternalName" or not selector:
            continue  # no Pods behind it (ExternalName, or EndpointSlices managed by hand)
        name, namespace = doc.get("metadata", {}).get("name"), doc.get("metadata", {}).get("namespace")
        fronted = [
            p
            for p in pods
            if all(p["labels"].get(k) == v for k, v in selector.items())
            and (namespace is None or p["namespace"] is None or p["namespace"] == namespace)
        ]
        if not fronted:
            problems.append(f"{rel}: Service {name} selects {selector}, but no Pod on the page has those labels")
            continue
        declared = [port for p in fronted for port in _ports(p["spec"])]
        for port in spec.get("ports", []):
            target = port.get("targetPort", port.get("port"))
            if isinstance(target, str):
                ok = any(d.get("name") == target for d in declared)
            else:
                ok = not declared or any(d.get("containerPort") == target for d in declared)
            if not ok:
                problems.append(
                    f"{rel}: Service {name} port {port.get('port')} targets {target!r}, which no Pod it selects has"
                )
    return problems


@pytest.mark.parametrize("page", sorted(PAGES), ids=lambda p: p.removeprefix("docs/"))
def test_services_front_the_pods_of_their_page(page: str) -> None:
    linked = [d for other in _linked(page) for _, d in _objects(PAGES.get(other, []))]
    linked += [d for _, d in _objects(_named(page))]
    problems = service_problems(_objects(PAGES[page]), linked)
    assert not problems, "\n".join(problems)


_SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "api"},
    "spec": {"selector": {"app": "api"}, "ports": [{"port": 80, "targetPort": "http"}]},
}
_DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "api"},
    "spec": {
        "selector": {"matchLabels": {"app": "api"}},
        "template": {
            "metadata": {"labels": {"app": "api"}},
            "spec": {"containers": [{"name": "api", "image": "x", "ports": [{"name": "http", "containerPort": 8080}]}]},
        },
    },
}


def test_a_service_and_its_pods_pass() -> None:
    assert service_problems([("a.yaml", _SERVICE), ("a.yaml", _DEPLOYMENT)]) == []


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("spec", "selector"), {"app": "apl"}, "no Pod on the page has those labels"),
        (("spec", "ports"), [{"port": 80, "targetPort": "htpp"}], "targets 'htpp'"),
        (("spec", "ports"), [{"port": 80, "targetPort": 8081}], "targets 8081"),
        (("metadata", "namespace"), "shop", None),
    ],
)
def test_a_service_that_misses_its_pods_fails(path: tuple[str, str], value: Any, message: str | None) -> None:
    service = copy.deepcopy(_SERVICE)
    service[path[0]][path[1]] = value
    deployment = _mutated(_DEPLOYMENT, lambda d: d["metadata"].update(namespace="web"))
    problems = service_problems([("a.yaml", service), ("a.yaml", deployment)])
    assert len(problems) == 1 and (message or "no Pod on the page") in problems[0], problems


def test_pods_of_a_linked_page_count() -> None:
    assert service_problems([("a.yaml", _SERVICE)]) != []
    assert service_problems([("a.yaml", _SERVICE)], [_DEPLOYMENT]) == []


# --- Hand-made EndpointSlices and their selector-less Services ---------------------------------

CONTROLLER_MANAGER = "endpointslice-controller.k8s.io"


def endpointslice_problems(objects: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """EndpointSlices written by hand that no proxy would use for the Service they claim.

    A slice joins a Service through its `kubernetes.io/service-name` label, and proxies match its
    ports to the Service's ports by name. The Service must have no selector (otherwise the
    control plane owns its slices), and `endpointslice.kubernetes.io/managed-by` must name the
    author rather than the control plane's controller.
    """
    services = {
        (d.get("metadata", {}).get("namespace"), d.get("metadata", {}).get("name")): d
        for _, d in objects
        if d.get("kind") == "Service" and d.get("apiVersion") == "v1"
    }
    problems = []
    for rel, doc in objects:
        if doc.get("kind") != "EndpointSlice":
            continue
        meta = doc.get("metadata", {})
        name, labels = meta.get("name"), meta.get("labels", {})
        owner = labels.get("kubernetes.io/service-name")
        managed_by = labels.get("endpointslice.kubernetes.io/managed-by")
        if managed_by in (None, CONTROLLER_MANAGER):
            problems.append(
                f"{rel}: EndpointSlice {name}: set label endpointslice.kubernetes.io/managed-by to your own "
                f"value (not {CONTROLLER_MANAGER}), so the control plane leaves the slice alone"
            )
        service = services.get((meta.get("namespace"), owner))
        if service is None:
            problems.append(
                f"{rel}: EndpointSlice {name}: label kubernetes.io/service-name={owner!r} names no Service "
                "of the page in its namespace"
            )
            continue
        if service.get("spec", {}).get("selector"):
            problems.append(
                f"{rel}: EndpointSlice {name}: Service {owner} has a selector, so the control plane manages "
                "its EndpointSlices; drop the selector or the hand-made slice"
            )
        service_ports = {port.get("name", "") for port in service.get("spec", {}).get("ports", [])}
        for port in doc.get("ports", []):
            if port.get("name", "") not in service_ports:
                problems.append(
                    f"{rel}: EndpointSlice {name}: port name {port.get('name', '')!r} matches no port of "
                    f"Service {owner} ({sorted(service_ports)}), so proxies never use it"
                )
    return problems


@pytest.mark.parametrize("page", sorted(PAGES), ids=lambda p: p.removeprefix("docs/"))
def test_hand_made_endpointslices_serve_their_service(page: str) -> None:
    problems = endpointslice_problems(_objects(PAGES[page]))
    assert not problems, "\n".join(problems)


EXTERNAL_DATABASE = "docs/examples/kubernetes/services-external-database.yaml"


def test_the_hand_made_endpointslice_is_checked() -> None:
    objects = _objects([EXTERNAL_DATABASE])
    assert any(d.get("kind") == "EndpointSlice" for _, d in objects)
    assert endpointslice_problems(objects) == []


@pytest.mark.parametrize(
    ("kind", "path", "value", "message"),
    [
        ("EndpointSlice", ("metadata", "labels", "kubernetes.io/service-name"), "orders", "names no Service"),
        (
            "EndpointSlice",
            ("metadata", "labels", "endpointslice.kubernetes.io/managed-by"),
            CONTROLLER_MANAGER,
            "managed-by",
        ),
        ("EndpointSlice", ("ports",), [{"name": "pg", "port": 5432}], "port name 'pg'"),
        ("Service", ("spec", "selector"), {"app": "orders-db"}, "has a selector"),
    ],
)
def test_an_endpointslice_no_proxy_would_use_fails(kind: str, path: tuple[str, ...], value: Any, message: str) -> None:
    objects = copy.deepcopy(_objects([EXTERNAL_DATABASE]))
    doc = next(d for _, d in objects if d.get("kind") == kind)
    target = doc
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    problems = endpointslice_problems(objects)
    assert any(message in p for p in problems), problems


# --- Pod Security Standards ---------------------------------------------------------------------

RESTRICTED_MARK = re.compile(r"^# pod-security: restricted\b", re.MULTILINE)
REJECTED_MARK = re.compile(r"^# pod-security: rejected\b", re.M)  # shows a Pod the level refuses
RESTRICTED_EXAMPLE = "docs/examples/kubernetes/namespaces-and-isolation-restricted-pod.yaml"


def _assert_no_problems(rel: str, check: Callable[[str, Any], list[str]]) -> None:
    """Every document of the example file `rel` passes `check(rel, doc) -> [problem, ...]`."""
    problems = [p for doc in _load(rel) for p in check(rel, doc)]
    assert not problems, "\n".join(problems)


def _section(rel: str) -> str:
    return Path(rel).relative_to("docs/examples").parts[0]


def _enforced_levels(section: str) -> dict[str, str]:
    """Namespace name -> the Pod Security level that the section's Namespace example enforces.

    Each section's examples are one cluster: the service mesh pages define their own `shop`.
    """
    levels = {}
    for _, doc in _objects([rel for rel in ALL_YAML if _section(rel) == section]):
        if doc.get("kind") == "Namespace":
            level = doc.get("metadata", {}).get("labels", {}).get("pod-security.kubernetes.io/enforce")
            if level:
                levels[doc["metadata"]["name"]] = level
    return levels


def pod_security_problems(objects: list[tuple[str, dict[str, Any]]], levels: dict[str, str]) -> list[str]:
    """Pods of the examples that the Pod Security level of their namespace would reject."""
    problems = []
    for rel, doc in objects:
        for pod in _pod_templates(doc):
            level = levels.get(pod["namespace"] or "")
            if level is None:
                continue
            problems += _level_problems(rel, doc, pod, level, named=True)
    return problems


def _level_problems(rel: str, doc: dict[str, Any], pod: dict[str, Any], level: str, *, named: bool) -> list[str]:
    """What `level` refuses in one Pod template of an example, each naming the file and object."""
    where = f"{rel}: {doc.get('kind')} {doc.get('metadata', {}).get('name')}" + (f": {level}" if named else "")
    return [f"{where}: {problem}" for problem in level_problems(level, pod["spec"])]


@pytest.mark.parametrize("section", sorted({_section(rel) for rel in ALL_YAML}))
def test_pods_pass_the_pod_security_level_of_their_namespace(section: str) -> None:
    levels = _enforced_levels(section)
    files = [rel for rel in ALL_YAML if _section(rel) == section and rel not in _marked(REJECTED_MARK)]
    problems = pod_security_problems(_objects(files), levels)
    assert not problems, "\n".join(problems)


def _marked(mark: re.Pattern[str]) -> list[str]:
    """The example files that carry a `# pod-security: ...` mark."""
    return [rel for rel in ALL_YAML if mark.search((ROOT / rel).read_text(encoding="utf-8"))]


def test_examples_marked_rejected_are_rejected() -> None:
    """A file marked `# pod-security: rejected` shows what the level refuses: each of its Pods must
    really be refused by its namespace's level, or the page's promised error would never appear."""
    marked = _marked(REJECTED_MARK)
    assert marked, "the containers section shows a Pod that Pod Security refuses"
    for rel in marked:
        levels = _enforced_levels(_section(rel))
        for _, doc in _objects([rel]):
            for pod in _pod_templates(doc):
                level = levels.get(pod["namespace"] or "")
                assert level is not None, f"{rel}: {doc['metadata']['name']} is in no namespace that enforces a level"
                assert level_problems(level, pod["spec"]), f"{rel}: {level} admits {doc['metadata']['name']}"


def test_a_rejected_example_that_the_level_admits_fails() -> None:
    harmless = {"containers": [{"name": "c", "image": "x"}]}
    assert not level_problems("baseline", harmless), "a harmless Pod passes baseline, so the check above can fail"


def test_the_kubernetes_namespace_enforces_a_level() -> None:
    assert _enforced_levels("kubernetes").get("shop") == "baseline"


def test_examples_marked_restricted_pass_restricted() -> None:
    marked = _marked(RESTRICTED_MARK)
    assert RESTRICTED_EXAMPLE in marked
    objects = _objects(marked)
    assert any(_pod_templates(d) for _, d in objects)
    problems = [
        problem
        for rel, d in objects
        for pod in _pod_templates(d)
        for problem in _level_problems(rel, d, pod, "restricted", named=False)
    ]
    assert not problems, "\n".join(problems)


def _restricted_pod() -> dict[str, Any]:
    return copy.deepcopy(next(d for _, d in _objects([RESTRICTED_EXAMPLE]) if d.get("kind") == "Pod"))


@pytest.mark.parametrize(
    ("level", "change", "message"),
    [
        (
            "restricted",
            lambda s: s["containers"][0]["securityContext"].pop("allowPrivilegeEscalation"),
            "allowPrivilegeEscalation != false",
        ),
        (
            "restricted",
            lambda s: s["containers"][0]["securityContext"]["capabilities"].update(drop=[]),
            "unrestricted capabilities",
        ),
        (
            "restricted",
            lambda s: s["containers"][0]["securityContext"]["capabilities"].update(add=["SYS_TIME"]),
            "unrestricted capabilities",
        ),
        ("restricted", lambda s: s["securityContext"].pop("runAsNonRoot"), "runAsNonRoot != true"),
        ("restricted", lambda s: s["securityContext"].update(runAsUser=0), "runAsUser=0"),
        ("restricted", lambda s: s["securityContext"].pop("seccompProfile"), "seccompProfile"),
        (
            "restricted",
            lambda s: s["volumes"].append({"name": "nfs", "nfs": {"server": "x", "path": "/"}}),
            "restricted volume types",
        ),
        ("baseline", lambda s: s.update(hostNetwork=True), "host namespaces"),
        ("baseline", lambda s: s["volumes"].append({"name": "root", "hostPath": {"path": "/"}}), "hostPath volumes"),
        ("baseline", lambda s: s["containers"][0]["securityContext"].update(privileged=True), "privileged"),
        (
            "baseline",
            lambda s: s["containers"][0]["securityContext"]["capabilities"].update(add=["SYS_PTRACE"]),
            "non-default capabilities",
        ),
        ("baseline", lambda s: s["containers"][0]["ports"][0].update(hostPort=80), "hostPort"),
    ],
)
def test_a_pod_the_level_rejects_fails(level: str, change: Any, message: str) -> None:
    pod = _restricted_pod()
    assert level_problems(level, pod["spec"]) == []
    change(pod["spec"])
    problems = pod_security_problems([("x.yaml", pod)], {"shop": level})
    assert any(message in p for p in problems), problems


# --- Kubelet configuration ----------------------------------------------------------------------

# The kubelet's default hard eviction thresholds on Linux (pkg/kubelet/eviction/defaults_linux.go).
DEFAULT_EVICTION_HARD = {
    "memory.available",
    "nodefs.available",
    "nodefs.inodesFree",
    "imagefs.available",
    "imagefs.inodesFree",
}
KUBELET_EXAMPLE = "docs/examples/kubernetes/resources-and-scheduling-kubelet.yaml"


def eviction_problems(objects: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """KubeletConfigurations whose partial evictionHard silently turns the other default thresholds off."""
    problems = []
    for rel, doc in objects:
        if doc.get("kind") != "KubeletConfiguration" or "evictionHard" not in doc:
            continue
        missing = DEFAULT_EVICTION_HARD - set(doc["evictionHard"])
        if missing and doc.get("mergeDefaultEvictionSettings") is not True:
            problems.append(
                f"{rel}: evictionHard leaves out {sorted(missing)}, which the kubelet then sets to 0 (off); "
                "list every default signal or set mergeDefaultEvictionSettings: true"
            )
    return problems


def test_kubelet_examples_keep_every_eviction_threshold() -> None:
    objects = _objects(ALL_YAML)
    assert any(rel == KUBELET_EXAMPLE for rel, _ in objects)
    problems = eviction_problems(objects)
    assert not problems, "\n".join(problems)


def test_a_partial_eviction_hard_fails_unless_defaults_are_merged() -> None:
    doc = copy.deepcopy(next(d for _, d in _objects([KUBELET_EXAMPLE]) if d.get("kind") == "KubeletConfiguration"))
    del doc["evictionHard"]["imagefs.inodesFree"]
    assert "imagefs.inodesFree" in eviction_problems([("x.yaml", doc)])[0]
    doc["mergeDefaultEvictionSettings"] = True
    assert eviction_problems([("x.yaml", doc)]) == []


# --- Custom resources against their CRD schemas ------------------------------------------------


def _validate_custom(docs: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    node = shutil.which("node")
    assert node, "node is missing: run `make test` (scripts/setup.sh test installs it)"
    assert (ROOT / "node_modules" / "@kubernetes-models" / "istio").is_dir(), "run `make test` to install node_modules"
    payload = json.dumps([{"id": ident, "doc": doc} for ident, doc in docs])
    result = subprocess.run(
        [node, "scripts/validate_custom_resources.mjs"],
        cwd=ROOT,
        input=payload,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {r["id"]: r for r in json.loads(result.stdout)}


@functools.cache
def _custom_results() -> dict[str, dict[str, Any]]:
    docs = []
    for rel in ALL_YAML:
        for index, doc in enumerate(_load(rel), start=1):
            if isinstance(doc, dict) and _group(str(doc.get("apiVersion", ""))) in SCHEMA_GROUPS:
                docs.append((f"{rel} (document {index}, {doc.get('kind')})", doc))
    return _validate_custom(docs)


def test_custom_resources_match_their_crd_schemas() -> None:
    results = _custom_results()
    assert results, "no custom resource found: the examples include Istio and Gateway API resources"
    problems = [f"{ident}: {p}" for ident, r in results.items() for p in r["problems"]]
    problems += [
        f"{ident}: no schema in {', '.join(r['providers'])}"
        for ident, r in results.items()
        if r["status"] == "no-schema"
    ]
    assert not problems, "\n".join(problems)


_VIRTUAL_SERVICE = {
    "apiVersion": "networking.istio.io/v1",
    "kind": "VirtualService",
    "metadata": {"name": "orders"},
    "spec": {"hosts": ["orders"], "http": [{"route": [{"destination": {"host": "orders", "port": {"number": 80}}}]}]},
}
_HTTP_ROUTE = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "HTTPRoute",
    "metadata": {"name": "orders"},
    "spec": {
        "parentRefs": [{"name": "web"}],
        "rules": [{"backendRefs": [{"name": "orders", "port": 80, "weight": 90}]}],
    },
}


def _mutated(doc: dict[str, Any], change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    change(doc)
    return doc


def test_mutated_custom_resources_are_rejected_naming_the_field() -> None:
    cases = {
        "valid-vs": (_VIRTUAL_SERVICE, None),
        "valid-route": (_HTTP_ROUTE, None),
        "unknown-field": (
            _mutated(
                _VIRTUAL_SERVICE,
                lambda d: d["spec"]["http"][0]["route"][0]["destination"]["port"].update(numbr=1),
            ),
            "/spec/http/0/route/0/destination/port: unknown field 'numbr'",
        ),
        "misspelt-spec-field": (
            _mutated(_HTTP_ROUTE, lambda d: d["spec"]["rules"][0]["backendRefs"][0].update(wieght=10)),
            "/spec/rules/0/backendRefs/0: unknown field 'wieght'",
        ),
        "wrong-type": (
            _mutated(_VIRTUAL_SERVICE, lambda d: d["spec"]["http"][0].update(retries={"attempts": "three"})),
            "/spec/http/0/retries/attempts: must be integer",
        ),
        "enum": (
            {
                "apiVersion": "security.istio.io/v1",
                "kind": "AuthorizationPolicy",
                "metadata": {"name": "a"},
                "spec": {"action": "LOG"},
            },
            "/spec/action: must be equal to one of the allowed values",
        ),
        "unknown-kind": (_mutated(_VIRTUAL_SERVICE, lambda d: d.update(kind="VirtualServce")), "no-schema"),
    }
    results = _validate_custom([(name, doc) for name, (doc, _) in cases.items()])
    for name, (_, expected) in cases.items():
        result = results[name]
        if expected is None:
            assert result["status"] == "ok", (name, result)
        elif expected == "no-schema":
            assert result["status"] == "no-schema", (name, result)
        else:
            assert any(p.startswith(expected) for p in result["problems"]), (name, result)


def test_a_free_form_crd_root_is_not_flagged() -> None:
    operator = {"apiVersion": "install.istio.io/v1alpha1", "kind": "IstioOperator", "metadata": {"name": "x"},
                "spec": {"meshConfig": {"enableTracing": True}}}  # fmt: skip
    assert _validate_custom([("op", operator)])["op"]["status"] == "ok"


def test_pending_groups_really_lack_a_schema() -> None:
    probes = {g: {"apiVersion": f"{g}/v1", "kind": "Probe", "metadata": {"name": "p"}} for g in PENDING_GROUPS}
    results = _validate_custom(list(probes.items()))
    assert all(r["status"] == "no-schema" for r in results.values())
    assert not PENDING_GROUPS & (SCHEMA_GROUPS | BUILTIN_GROUPS)


# --- Type keys, unknown groups and enums -----------------------------------------------------------


@functools.cache
def _example_crds() -> dict[tuple[str, str], dict[str, Any]]:
    """Schemas of the CustomResourceDefinitions the examples themselves define."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for rel in ALL_YAML:
        for doc in _load(rel):
            if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                found.update(crd_schema.schemas_of(doc))
    return found


def custom_problems(rel: str, doc: Any, crds: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    """A custom resource of a CRD the examples define, or of a project without a schema package."""
    if not isinstance(doc, dict) or "apiVersion" not in doc:
        return []
    key = (doc["apiVersion"], doc.get("kind"))
    if key in crds:
        return [f"{rel}: {doc.get('kind')} {p}" for p in crd_schema.problems(crds[key], doc)]
    if _group(str(doc["apiVersion"])) in PENDING_GROUPS and key not in PENDING_KINDS:
        return [
            f"{rel}: {key[0]} {key[1]} has no schema here; check it against the project's CRDs and add it to "
            "PENDING_KINDS, or vendor the CRDs (see PENDING_GROUPS)"
        ]
    return []


@pytest.mark.parametrize("rel", ALL_YAML, ids=lambda p: p.removeprefix("docs/examples/"))
def test_resources_of_example_crds_and_pending_projects(rel: str) -> None:
    problems = [p for doc in _load(rel) for p in custom_problems(rel, doc, _example_crds())]
    assert not problems, "\n".join(problems)


_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget", "plural": "widgets"},
        "scope": "Namespaced",
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {
                                "type": "object",
                                "properties": {
                                    "size": {"type": "integer"},
                                    "colour": {"type": "string", "enum": ["red", "blue"]},
                                    "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                                },
                            }
                        },
                    }
                },
            }
        ],
    },
}


def test_a_crd_manifest_is_accepted_and_its_resources_are_checked() -> None:
    import kubernetes_validate

    from site_extensions.facts_data import load

    version = load(ROOT / "data" / "facts.yml")["kubernetes.release"].value + ".0"
    kubernetes_validate.validate(_CRD, version, strict=True)
    assert type_problems("crd.yaml", _CRD) == []
    crds = crd_schema.schemas_of(_CRD)
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
              "spec": {"size": 3, "colour": "red", "extra": {"anything": 1}}}  # fmt: skip
    assert custom_problems("w.yaml", widget, crds) == []
    bad = _mutated(widget, lambda d: d["spec"].update(colour="green", sise=4))
    problems = custom_problems("w.yaml", bad, crds)
    assert len(problems) == 2 and any("'green' is not one of ['red', 'blue']" in p for p in problems)
    assert any("'sise' was unexpected" in p for p in problems)


def test_an_unchecked_kind_of_a_pending_project_fails() -> None:
    doc = {"apiVersion": "policy.linkerd.io/v1alpha1", "kind": "HTTPLocalRateLimitPolicy", "metadata": {"name": "x"}}
    assert "has no schema here" in custom_problems("x.yaml", doc, {})[0]


def type_problems(rel: str, doc: Any) -> list[str]:
    """A document that looks like an API object must be one that some check validates."""
    if not isinstance(doc, dict):
        return []
    problems = []
    for key in doc:
        spelt = isinstance(key, str) and key.lower() in {"apiversion", "kind", "api_version", "api-version"}
        if spelt and key not in {"apiVersion", "kind"}:
            problems.append(f"{rel}: key {key!r} is misspelt (write apiVersion and kind exactly)")
    has_version, has_kind = "apiVersion" in doc, "kind" in doc
    if has_version != has_kind and not problems:
        problems.append(
            f"{rel}: has {'apiVersion' if has_version else 'kind'} without {'kind' if has_version else 'apiVersion'}"
        )
    if has_version and has_kind:
        group = _group(str(doc["apiVersion"]))
        defined = {_group(api_version) for api_version, _ in _example_crds()}
        if group not in BUILTIN_GROUPS | CONFIG_GROUPS | SCHEMA_GROUPS | PENDING_GROUPS | defined:
            problems.append(
                f"{rel}: no schema validates API group {group!r} ({doc['apiVersion']} {doc['kind']}): "
                "add its project's @kubernetes-models npm package to package.json and to PROVIDERS in "
                "scripts/validate_custom_resources.mjs, or vendor its CRD YAML with licence and version"
            )
    return problems


@pytest.mark.parametrize("rel", ALL_YAML, ids=lambda p: p.removeprefix("docs/examples/"))
def test_every_object_is_one_a_schema_checks(rel: str) -> None:
    _assert_no_problems(rel, type_problems)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"apiversion": "v1", "kind": "Service"}, "key 'apiversion' is misspelt"),
        ({"apiVersion": "v1", "Kind": "Service"}, "key 'Kind' is misspelt"),
        ({"kind": "Service", "metadata": {}}, "has kind without apiVersion"),
        ({"apiVersion": "networking.istoi.io/v1", "kind": "VirtualService"}, "no schema validates API group"),
    ],
)
def test_a_misspelt_type_fails_instead_of_passing_as_plain_yaml(doc: dict[str, Any], message: str) -> None:
    problems = type_problems("x.yaml", doc)
    assert len(problems) == 1 and message in problems[0], problems


@functools.cache
def _definitions() -> dict[str, Any]:
    import kubernetes_validate

    from site_extensions.facts_data import load

    version = load(ROOT / "data" / "facts.yml")["kubernetes.release"].value
    folder = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{version}.0-local-strict"
    return json.loads((folder / "_definitions.json").read_text(encoding="utf-8"))["$defs"]


ENUM_LIST = re.compile(r"\bOne of ((?:`?[A-Z][\w-]*`?)(?:,? (?:or )?(?:`?[A-Z][\w-]*`?))+)\.")
ENUM_POSSIBLE = re.compile(r'- `"([^"]+)"`')


def _allowed(description: str) -> set[str] | None:
    if "Possible enum values:" in description:
        return set(ENUM_POSSIBLE.findall(description.split("Possible enum values:", 1)[1]))
    match = ENUM_LIST.search(description)
    if match:
        return {w.strip("`") for w in re.split(r",? (?:or )?|, ", match.group(1)) if w}
    return None


def _schema_for(doc: dict[str, Any]) -> dict[str, Any] | None:
    version = str(doc.get("apiVersion", ""))
    group, _, ver = version.rpartition("/")
    for schema in _definitions().values():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            if gvk.get("group", "") == group and gvk.get("version") == ver and gvk.get("kind") == doc.get("kind"):
                return schema
    return None


def enum_problems(rel: str, doc: Any) -> list[str]:
    """String fields whose API description lists the allowed values, holding another value."""
    if not isinstance(doc, dict) or _group(str(doc.get("apiVersion", ""))) not in BUILTIN_GROUPS:
        return []
    schema = _schema_for(doc)
    problems: list[str] = []

    def walk(value: Any, node: dict[str, Any] | None, path: str) -> None:
        while node and "$ref" in node:
            node = _definitions().get(node["$ref"].rsplit("/", 1)[1])
        if node is None:
            return
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, node.get("properties", {}).get(key), f"{path}.{key}")
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, node.get("items"), f"{path}[{index}]")
        elif isinstance(value, str):
            allowed = _allowed(node.get("description", ""))
            if allowed and value not in allowed:
                problems.append(f"{rel}: {path.lstrip('.')} is {value!r}; allowed: {', '.join(sorted(allowed))}")

    walk(doc, schema, "")
    return problems


@pytest.mark.parametrize("rel", ALL_YAML, ids=lambda p: p.removeprefix("docs/examples/"))
def test_enum_fields_hold_allowed_values(rel: str) -> None:
    _assert_no_problems(rel, enum_problems)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["spec"]["template"]["spec"].update(restartPolicy="Sometimes"), "restartPolicy"),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0].update(imagePullPolicy="Sometimes"),
            "imagePullPolicy",
        ),
    ],
)
def test_a_wrong_enum_value_fails(change: Any, field: str) -> None:
    assert enum_problems("a.yaml", _DEPLOYMENT) == []
    problems = enum_problems("a.yaml", _mutated(_DEPLOYMENT, change))
    assert len(problems) == 1 and f".{field} is " in problems[0], problems


# --- Dockerfiles ---------------------------------------------------------------------------------


def cross_compile_problems(text: str) -> list[str]:
    """A Dockerfile that builds for other platforms must compile on the build platform."""
    if "TARGETARCH" not in text and "TARGETPLATFORM" not in text:
        return []
    problems = []
    stages = re.findall(r"^FROM\s+(.*)$", text, flags=re.MULTILINE | re.IGNORECASE)
    if not any("--platform=$BUILDPLATFORM" in s or "--platform=${BUILDPLATFORM}" in s for s in stages):
        problems.append("no stage runs on the build platform (FROM --platform=$BUILDPLATFORM ...)")
    if not re.search(r"^ARG\s+TARGETOS", text, flags=re.MULTILINE) or "GOOS=$TARGETOS" not in text.replace(
        "${TARGETOS}", "$TARGETOS"
    ):
        problems.append("the build does not compile for $TARGETOS (ARG TARGETOS, GOOS=$TARGETOS)")
    if not re.search(
        r"^ARG\s+(?:TARGETOS\s+)?TARGETARCH", text, flags=re.MULTILINE
    ) or "GOARCH=$TARGETARCH" not in text.replace("${TARGETARCH}", "$TARGETARCH"):
        problems.append("the build does not compile for $TARGETARCH (ARG TARGETARCH, GOARCH=$TARGETARCH)")
    return problems


MULTI_PLATFORM = [
    p for p in sorted((DOCS / "examples").rglob("*Dockerfile")) if "TARGETARCH" in p.read_text(encoding="utf-8")
]


def test_there_is_a_multi_platform_dockerfile() -> None:
    assert MULTI_PLATFORM


@pytest.mark.parametrize("path", MULTI_PLATFORM, ids=lambda p: p.name)
def test_the_multi_platform_dockerfile_cross_compiles(path: Path) -> None:
    problems = cross_compile_problems(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def test_a_dockerfile_that_emulates_instead_of_cross_compiling_fails() -> None:
    good = (
        "FROM --platform=$BUILDPLATFORM golang:1.25 AS build\nARG TARGETOS TARGETARCH\n"
        "RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM scratch\n"
    )
    assert cross_compile_problems(good) == []
    assert (
        "no stage runs on the build platform"
        in cross_compile_problems(good.replace("--platform=$BUILDPLATFORM ", ""))[0]
    )
    assert "$TARGETARCH" in cross_compile_problems(good.replace("GOARCH=$TARGETARCH ", ""))[0]


# --- A section's examples applied together ------------------------------------------------------

SECTIONS = sorted(p.name for p in (DOCS / "examples").iterdir() if p.is_dir())


def commands(page: str) -> list[tuple[int, str, str]]:
    """(line, command, comment just above it) of every shell line in the page's code blocks.

    Continuation lines (ending in a backslash) are joined; a `$ ` prompt is dropped.
    """
    found: list[tuple[int, str, str]] = []
    fences, pending, start, comment = FenceTracker(), "", 0, ""
    for number, raw in enumerate((ROOT / page).read_text(encoding="utf-8").splitlines(), start=1):
        was_inside = fences.inside
        fences.in_code(raw)
        if not (was_inside and fences.inside):  # outside a block, or its opening or closing fence
            comment = ""
            continue
        line = raw.strip()
        if not pending:
            if line.startswith("#"):
                comment = line
                continue
            start = number
        line = line.removeprefix("$ ")
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        found.append((start, pending + line, comment))
        pending = ""
    return found


def section_pages(section: str) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (DOCS / section).glob("*.md"))


LABEL_NAMESPACE = re.compile(r"kubectl label (?:--overwrite )?(?:namespace|ns) ([a-z0-9-]+) ((?:[\w./-]+=[\w.-]*\s*)+)")


@functools.cache
def _cluster(section: str) -> Cluster:
    files = sorted((DOCS / "examples" / section).rglob("*.y*ml"))
    labelled: dict[str, dict[str, str]] = {}
    for page in section_pages(section):
        for _, command, _ in commands(page):
            match = LABEL_NAMESPACE.search(command)
            if match and "--dry-run" not in command:
                pairs = dict(pair.split("=", 1) for pair in match.group(2).split())
                labelled.setdefault(match.group(1), {}).update(pairs)
    return Cluster(_objects([f.relative_to(ROOT).as_posix() for f in files]), labelled)


def route_problems(cluster: Cluster) -> list[str]:
    """Gateway API routes: they attach to their Gateway's listener, reach Services on ports they
    expose, and the NetworkPolicies let the gateway's Pods reach the Pods behind them."""
    problems = []
    gateways = {
        (d["metadata"].get("namespace"), d["metadata"]["name"]): d
        for _, d in cluster.of_kind("Gateway")
        if _group(d.get("apiVersion", "")) == "gateway.networking.k8s.io"
    }
    for rel, route in cluster.objects:
        if _group(str(route.get("apiVersion", ""))) != "gateway.networking.k8s.io" or not route.get(
            "kind", ""
        ).endswith("Route"):
            continue
        meta, spec = route.get("metadata", {}), route.get("spec", {})
        where = f"{rel}: {route['kind']} {meta.get('name')}"
        route_ns = meta.get("namespace")
        for parent in spec.get("parentRefs", []):
            if parent.get("kind", "Gateway") != "Gateway":
                continue  # a mesh (GAMMA) route attached to a Service
            gateway_ns = parent.get("namespace", route_ns)
            gateway = gateways.get((gateway_ns, parent["name"]))
            if gateway is None:
                problems.append(f"{where}: its parent Gateway {gateway_ns}/{parent['name']} is not in the section")
                continue
            listeners = [
                item for item in gateway["spec"].get("listeners", [])
                if parent.get("sectionName") in (None, item.get("name"))
            ]  # fmt: skip
            if not any(_attaches(cluster, item, gateway_ns, route_ns) for item in listeners):
                problems.append(
                    f"{where}: no listener of Gateway {gateway_ns}/{parent['name']} admits routes from {route_ns}"
                )
            source = {"gateway.networking.k8s.io/gateway-name": parent["name"]}
            for rule in spec.get("rules", []):
                for ref in rule.get("backendRefs", []):
                    if ref.get("kind", "Service") != "Service":
                        continue
                    problems += _path_problems(cluster, where, gateway_ns or "default", source, ref, route_ns)
    return problems


def _attaches(cluster: Cluster, listener: dict[str, Any], gateway_ns: str | None, route_ns: str | None) -> bool:
    namespaces = (listener.get("allowedRoutes") or {}).get("namespaces") or {}
    rule = namespaces.get("from", "Same")
    if rule == "All":
        return True
    if rule == "Same":
        return route_ns == gateway_ns
    if rule == "Selector" and route_ns:
        return selects(namespaces.get("selector") or {}, cluster.namespace_labels(route_ns))
    return False


def _path_problems(
    cluster: Cluster, where: str, source_ns: str, source: dict[str, str], ref: dict[str, Any], route_ns: str | None
) -> list[str]:
    namespace = ref.get("namespace", route_ns)
    service = cluster.service(ref["name"], namespace)
    if service is None:
        return [f"{where}: backend Service {ref['name']} is not in the section"]
    ports = {p.get("port"): p for p in service["spec"].get("ports", [])}
    if ref.get("port") not in ports:
        return [
            f"{where}: backend {ref['name']} port {ref.get('port')} is not a port the Service exposes ({sorted(ports)})"
        ]
    target = ports[ref["port"]].get("targetPort", ref["port"])
    problems = []
    for pod in cluster.backends(service):
        number = pod.port_number(target)
        for reason in cluster.admits(source_ns, source, pod, number or -1):
            problems.append(f"{where}: traffic to {ref['name']} ({pod.owner}) is blocked: {reason}")
    return problems


def ingress_problems(cluster: Cluster) -> list[str]:
    """Ingress backends: a Service of the section that exposes the named or numbered port and
    fronts Pods. (Which namespace an Ingress controller runs in is the cluster's choice, so the
    NetworkPolicy side is checked for Gateways only.)"""
    problems = []
    for rel, ingress in cluster.of_kind("Ingress"):
        namespace = ingress["metadata"].get("namespace")
        where = f"{rel}: Ingress {ingress['metadata']['name']}"
        backends = [ingress["spec"].get("defaultBackend")] if ingress["spec"].get("defaultBackend") else []
        for rule in ingress["spec"].get("rules", []):
            backends += [path["backend"] for path in (rule.get("http") or {}).get("paths", [])]
        for backend in backends:
            ref = backend.get("service")
            if not ref:
                continue
            service = cluster.service(ref["name"], namespace)
            if service is None:
                problems.append(f"{where}: backend Service {ref['name']} is not in the section")
                continue
            port = ref.get("port", {})
            ports = service["spec"].get("ports", [])
            if not any(p.get("name") == port.get("name") or p.get("port") == port.get("number") for p in ports):
                problems.append(f"{where}: backend {ref['name']} port {port} is not a port the Service exposes")
            elif not cluster.backends(service):
                problems.append(f"{where}: backend Service {ref['name']} fronts no Pod of the section")
    return problems


@pytest.mark.parametrize("section", SECTIONS)
def test_ingress_backends_exist(section: str) -> None:
    problems = ingress_problems(_cluster(section))
    assert not problems, "\n".join(problems)


def test_an_ingress_to_a_missing_port_fails() -> None:
    assert ingress_problems(_cluster("kubernetes")) == []

    def rename(doc: dict[str, Any]) -> None:
        doc["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] = {"name": "htpp"}

    problems = ingress_problems(_section_with("kubernetes", "docs/examples/kubernetes/services-ingress.yaml", rename))
    assert problems == [
        "docs/examples/kubernetes/services-ingress.yaml: Ingress shop: "
        "backend api port {'name': 'htpp'} is not a port the Service exposes"
    ]


@pytest.mark.parametrize("section", SECTIONS)
def test_routes_reach_their_backends(section: str) -> None:
    problems = route_problems(_cluster(section))
    assert not problems, "\n".join(problems)


def _section_with(section: str, rel: str, change: Any, labelled: dict[str, dict[str, str]] | None = None) -> Cluster:
    """The section's cluster with one example file's documents changed in place (a mutation)."""
    base = _cluster(section)
    objects = [(s, _mutated(d, change) if s == rel else d) for s, d in base.objects]
    return Cluster(objects, base.labelled if labelled is None else labelled)


GATEWAY_FILE = "docs/examples/kubernetes/services-gateway.yaml"
POLICY_FILE = "docs/examples/kubernetes/services-networkpolicy.yaml"


def _policy_from(namespace: str) -> Any:
    def change(doc: dict[str, Any]) -> None:
        for peer in doc["spec"]["ingress"][0]["from"]:
            if "namespaceSelector" in peer:
                peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] = namespace

    return change


def _backend_port(port: int) -> Any:
    def change(doc: dict[str, Any]) -> None:
        if doc.get("kind") == "HTTPRoute":
            doc["spec"]["rules"][0]["backendRefs"][0]["port"] = port

    return change


def test_the_kubernetes_gateway_paths_are_modelled() -> None:
    """The real examples route /api through the gateway in infra to the api Pods in shop."""
    assert route_problems(_cluster("kubernetes")) == []
    assert _cluster("kubernetes").namespace_labels("shop").get("gateway-access") == "web"


@pytest.mark.parametrize(
    ("rel", "change", "labelled", "message"),
    [
        (
            POLICY_FILE,
            _policy_from("ingress"),
            None,
            "traffic to api-v1 (Deployment/api-v1) is blocked: no Ingress rule",
        ),
        (GATEWAY_FILE, _backend_port(8080), None, "backend api-v1 port 8080 is not a port the Service exposes"),
        (GATEWAY_FILE, lambda d: None, {}, "no listener of Gateway infra/web-gateway admits routes from shop"),
    ],
)
def test_a_route_the_examples_would_break_fails(rel: str, change: Any, labelled: Any, message: str) -> None:
    problems = route_problems(_section_with("kubernetes", rel, change, labelled))
    assert any(message in p for p in problems), problems


# --- Commands the pages run against the examples ------------------------------------------------

URL = re.compile(r"https?://([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\.cluster\.local)?)?(?::(\d+))?(?=[/\s\"'`)]|$)")
NAMESPACE_FLAG = re.compile(r"(?:-n|--namespace)[ =]([a-z0-9-]+)")
PORT_FORWARD = re.compile(
    r"kubectl port-forward (?:-n [a-z0-9-]+ )?(svc|service|pod|deploy|deployment)/([a-z0-9-]+)\S* .*?(\d+)?:(\d+)"
)
RUN = re.compile(r"kubectl run ([a-z0-9-]+)")
BLOCKED = re.compile(r"\b(blocked|times? out|denied|refused|fails)\b", re.IGNORECASE)
ADMITTED = re.compile(r"\b(admitted|allowed|the control|prints|succeeds)\b", re.IGNORECASE)


def command_problems(cluster: Cluster, page: str, found: list[tuple[int, str, str]]) -> list[str]:
    """Commands that use a port a Service does not expose, forward to a port nothing declares, or
    test a NetworkPolicy whose outcome differs from what the comment above them says."""
    problems = []
    for line, command, comment in found:
        where = f"{page}:{line}"
        namespace = (NAMESPACE_FLAG.search(command) or [None, None])[1]
        for match in URL.finditer(command):
            name, url_ns, port = match.group(1), match.group(2), match.group(3)
            service = cluster.service(name, url_ns or namespace)
            if service is None or (url_ns and service["metadata"].get("namespace") not in (None, url_ns)):
                continue
            number = int(port) if port else (443 if match.group(0).startswith("https") else 80)
            exposed = [p.get("port") for p in service["spec"].get("ports", [])]
            if number not in exposed:
                problems.append(f"{where}: {match.group(0)} uses port {number}; Service {name} exposes {exposed}")
                continue
            run = RUN.search(command)
            expect_blocked = bool(BLOCKED.search(comment)) and not ADMITTED.search(comment)
            expect_admitted = bool(ADMITTED.search(comment))
            if run and namespace and (expect_blocked or expect_admitted):
                problems += _probe_problems(cluster, where, namespace, run.group(1), service, number, expect_blocked)
        forward = PORT_FORWARD.search(command)
        if forward:
            kind, name, remote = forward.group(1), forward.group(2), int(forward.group(4))
            if kind in {"svc", "service"}:
                service = cluster.service(name, namespace)
                exposed = [p.get("port") for p in (service or {}).get("spec", {}).get("ports", [])]
                if service is not None and remote not in exposed:
                    problems.append(f"{where}: port-forward to Service {name} port {remote}; it exposes {exposed}")
            else:
                owner = {"pod": "Pod", "deploy": "Deployment", "deployment": "Deployment"}[kind] + f"/{name}"
                pods = [p for p in cluster.pods if p.owner == owner]
                declared = [int(q["containerPort"]) for p in pods for c in p.containers() for q in c.get("ports", [])]
                if pods and declared and remote not in declared:
                    problems.append(
                        f"{where}: port-forward to {owner} port {remote}; its containers declare {declared}"
                    )
    return problems


def _probe_problems(
    cluster: Cluster, where: str, namespace: str, name: str, service: dict[str, Any], port: int, expect_blocked: bool
) -> list[str]:
    """A `kubectl run` probe (label run=NAME) against a Service: does the outcome match the comment?"""
    target = next(p.get("targetPort", port) for p in service["spec"]["ports"] if p.get("port") == port)
    outcomes = [
        bool(cluster.admits(namespace, {"run": name}, pod, pod.port_number(target) or -1))
        for pod in cluster.backends(service)
    ]
    if not outcomes:
        return [f"{where}: Service {service['metadata']['name']} fronts no Pod, so the test shows nothing"]
    if expect_blocked and not all(outcomes):
        return [f"{where}: the comment says this is blocked, but the NetworkPolicies admit it"]
    if not expect_blocked and any(outcomes):
        return [f"{where}: the comment says this is admitted, but the NetworkPolicies block it"]
    return []


@pytest.mark.parametrize(
    "page", sorted(p for s in SECTIONS for p in section_pages(s)), ids=lambda p: p.removeprefix("docs/")
)
def test_commands_use_what_the_examples_expose(page: str) -> None:
    section = Path(page).relative_to("docs").parts[0]
    problems = command_problems(_cluster(section), page, commands(page))
    assert not problems, "\n".join(problems)


PROBES = "docs/kubernetes/namespaces-and-isolation.md"


def test_the_deny_probe_is_modelled() -> None:
    found = [c for c in commands(PROBES) if "probe" in c[1]]
    assert len(found) == 2 and command_problems(_cluster("kubernetes"), PROBES, found) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("http://web.shop/hostname", "http://web.shop:8080/hostname", "uses port 8080; Service web exposes [80]"),
        ("-n team-b", "-n infra", "the comment says this is blocked, but the NetworkPolicies admit it"),
        ("-n infra", "-n team-b", "the comment says this is admitted, but the NetworkPolicies block it"),
    ],
)
def test_a_probe_that_proves_nothing_fails(old: str, new: str, message: str) -> None:
    found = [(n, c.replace(old, new), comment) for n, c, comment in commands(PROBES) if "probe" in c]
    problems = command_problems(_cluster("kubernetes"), PROBES, found)
    assert any(message in p for p in problems), problems


def test_a_port_forward_to_an_undeclared_port_fails() -> None:
    cluster = Cluster([("a.yaml", _SERVICE), ("a.yaml", _DEPLOYMENT)])
    good = [
        (1, "kubectl port-forward svc/api -n web 8080:80", ""),
        (2, "kubectl port-forward deploy/api 9000:8080", ""),
    ]
    assert command_problems(cluster, "p.md", good) == []
    bad = [(1, "kubectl port-forward svc/api 8080:8080", ""), (2, "kubectl port-forward deploy/api 9000:80", "")]
    assert len(command_problems(cluster, "p.md", bad)) == 2


# --- LimitRange and ResourceQuota against the section's own Pods -----------------------------------

COMPUTE = ("cpu", "memory", "ephemeral-storage")


def limit_problems(cluster: Cluster) -> list[str]:
    """LimitRange defaults that contradict a Pod of the section, or bounds that would reject one;
    a ResourceQuota that would reject a Pod (a missing request or limit) or that the section's Pods exceed."""
    problems = []
    effective: dict[tuple[str, str, str], tuple[dict[str, float], dict[str, float]]] = {}
    for pod in cluster.pods:
        if pod.namespace is None:
            continue
        for container in pod.containers():
            res = container.get("resources") or {}
            requests, limits = dict(res.get("requests") or {}), dict(res.get("limits") or {})
            for key, value in limits.items():
                requests.setdefault(key, value)  # the API defaults a missing request to the limit
            effective[(pod.namespace, pod.owner, container["name"])] = (
                {k: quantity(v) for k, v in requests.items()},
                {k: quantity(v) for k, v in limits.items()},
            )
    for rel, doc in cluster.of_kind("LimitRange", "v1"):
        namespace, name = doc["metadata"].get("namespace"), doc["metadata"]["name"]
        for item in doc["spec"].get("limits", []):
            if item.get("type") != "Container":
                continue
            default, default_request = limit_range_defaults(item)
            for (ns, owner, container), (requests, limits) in effective.items():
                if ns != namespace:
                    continue
                explicit_requests = set(requests)
                for key, value in default.items():
                    if key not in limits:
                        if key in explicit_requests:
                            origin = "its max" if key not in (item.get("default") or {}) else "its default"
                            problems.append(
                                f"{rel}: LimitRange {name} gives {owner} container {container}, which sets a {key} "
                                f"request and deliberately no {key} limit, a {key} limit of {value} ({origin})"
                            )
                        limits[key] = quantity(value)
                for key, value in default_request.items():
                    requests.setdefault(key, quantity(value))
                for key, value in (item.get("max") or {}).items():
                    if limits.get(key, 0) > quantity(value):
                        problems.append(
                            f"{rel}: LimitRange {name} rejects {owner} container {container}: "
                            f"{key} limit above max {value}"
                        )
                for key, value in (item.get("min") or {}).items():
                    if requests.get(key, float("inf")) < quantity(value):
                        problems.append(
                            f"{rel}: LimitRange {name} rejects {owner} container {container}: "
                            f"{key} request below min {value}"
                        )
                for key in set(requests) & set(limits):
                    if requests[key] > limits[key]:
                        problems.append(
                            f"{rel}: {owner} container {container} would get a {key} limit below its request "
                            f"(LimitRange {name}), and the API server rejects it"
                        )
    for rel, doc in cluster.of_kind("ResourceQuota", "v1"):
        namespace, name, hard = doc["metadata"].get("namespace"), doc["metadata"]["name"], doc["spec"].get("hard", {})
        totals: dict[str, float] = {}
        for (ns, owner, container), (requests, limits) in effective.items():
            if ns != namespace:
                continue
            replicas = next(p.replicas for p in cluster.pods if p.owner == owner and p.namespace == ns)
            for key in hard:
                kind, _, resource = key.rpartition(".")
                if resource not in COMPUTE or kind not in {"", "requests", "limits"}:
                    continue
                values = limits if kind == "limits" else requests
                if resource not in values:
                    problems.append(
                        f"{rel}: ResourceQuota {name} sets {key}, so {owner} container {container}, "
                        f"which has no {kind or 'requests'}.{resource}, is rejected"
                    )
                    continue
                totals[key] = totals.get(key, 0) + values[resource] * replicas
        pods = sum(p.replicas for p in cluster.pods if p.namespace == namespace)
        if "pods" in hard and pods > quantity(hard["pods"]):
            problems.append(
                f"{rel}: the section's {pods} Pods in {namespace} exceed ResourceQuota {name} pods: {hard['pods']}"
            )
        for key, total in totals.items():
            if total > quantity(hard[key]):
                problems.append(
                    f"{rel}: the section's Pods in {namespace} need {key} {total:g}, "
                    f"above ResourceQuota {name} ({hard[key]})"
                )
    return problems


@pytest.mark.parametrize("section", SECTIONS)
def test_limit_ranges_and_quotas_agree_with_the_pods(section: str) -> None:
    problems = limit_problems(_cluster(section))
    assert not problems, "\n".join(problems)


LIMITS_FILE = "docs/examples/kubernetes/resources-and-scheduling-limitrange.yaml"
QUOTA_FILE = "docs/examples/kubernetes/resources-and-scheduling-resourcequota.yaml"


@pytest.mark.parametrize(
    ("rel", "change", "message"),
    [
        (
            LIMITS_FILE,
            lambda d: d["spec"]["limits"][0]["max"].update(cpu="2"),
            "deliberately no cpu limit, a cpu limit of 2 (its max)",
        ),
        (LIMITS_FILE, lambda d: d["spec"]["limits"][0]["max"].update(memory="256Mi"), "memory limit above max 256Mi"),
        (LIMITS_FILE, lambda d: d["spec"]["limits"][0].update(min={"cpu": "500m"}), "cpu request below min 500m"),
        (QUOTA_FILE, lambda d: d["spec"]["hard"].update({"limits.cpu": "8"}), "which has no limits.cpu, is rejected"),
        (QUOTA_FILE, lambda d: d["spec"]["hard"].update(pods="2"), "exceed ResourceQuota shop-quota pods: 2"),
        (
            QUOTA_FILE,
            lambda d: d["spec"]["hard"].update({"requests.memory": "1Gi"}),
            "above ResourceQuota shop-quota (1Gi)",
        ),
    ],
)
def test_a_limit_range_or_quota_that_contradicts_the_pods_fails(rel: str, change: Any, message: str) -> None:
    assert limit_problems(_cluster("kubernetes")) == []
    problems = limit_problems(_section_with("kubernetes", rel, change))
    assert any(message in p for p in problems), problems


# --- RBAC: Roles cover the commands run with them -----------------------------------------------

# What each kubectl command needs on a Deployment's namespace, from what kubectl sends:
# `rollout history`/`undo` list the ReplicaSets the Deployment owns to find its revisions
# (kubectl pkg/polymorphichelpers/history.go, rollback.go), `scale` writes the scale subresource,
# `apply` reads the live object then creates or patches it, `logs` reads pods/log.
KUBECTL_NEEDS: dict[str, set[tuple[str, str, str]]] = {
    "apply": {("get", "apps", "deployments"), ("create", "apps", "deployments"), ("patch", "apps", "deployments")},
    "set image": {("get", "apps", "deployments"), ("patch", "apps", "deployments")},
    "scale": {("get", "apps", "deployments"), ("patch", "apps", "deployments/scale")},
    "rollout status": {
        ("get", "apps", "deployments"),
        ("list", "apps", "deployments"),
        ("watch", "apps", "deployments"),
    },
    "rollout history": {("get", "apps", "deployments"), ("list", "apps", "replicasets")},
    "rollout undo": {("get", "apps", "deployments"), ("list", "apps", "replicasets"), ("patch", "apps", "deployments")},
    "rollout restart": {("get", "apps", "deployments"), ("patch", "apps", "deployments")},
    "logs": {("get", "", "pods"), ("list", "", "pods"), ("get", "", "pods/log")},
    "get pods": {("list", "", "pods")},
    "exec": {("get", "", "pods"), ("create", "", "pods/exec")},
}
RESOURCE_GROUPS = {
    "deployments": "apps", "replicasets": "apps", "statefulsets": "apps", "daemonsets": "apps",
    "jobs": "batch", "cronjobs": "batch", "pods": "", "secrets": "", "configmaps": "", "services": "",
    "serviceaccounts": "", "persistentvolumeclaims": "", "namespaces": "", "nodes": "",
}  # fmt: skip
KUBECTL_LINE = re.compile(r"^#\s*kubectl:\s*(.+)$", re.MULTILINE)
CAN_I = re.compile(
    r"kubectl auth can-i (\w+) ([a-z]+)(?:\.([a-z0-9.-]+))?(/[a-z]+)?\s.*?-n ([a-z0-9-]+)"
    r".*?--as=system:serviceaccount:([a-z0-9-]+):([a-z0-9-]+)"
)


def subject_rules(cluster: Cluster, sa_namespace: str, sa_name: str, namespace: str) -> list[dict[str, Any]]:
    """The RBAC rules a ServiceAccount has in a namespace, through RoleBindings and ClusterRoleBindings."""
    roles = {(d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"]): d for _, d in cluster.objects
             if d.get("kind") in {"Role", "ClusterRole"}}  # fmt: skip
    rules: list[dict[str, Any]] = []
    for _, binding in cluster.objects:
        kind = binding.get("kind")
        if kind not in {"RoleBinding", "ClusterRoleBinding"}:
            continue
        if kind == "RoleBinding" and binding["metadata"].get("namespace") != namespace:
            continue
        if not any(
            s.get("kind") == "ServiceAccount"
            and s.get("name") == sa_name
            and s.get("namespace", namespace) == sa_namespace
            for s in binding.get("subjects", [])
        ):
            continue
        ref = binding["roleRef"]
        role_ns = binding["metadata"].get("namespace") if ref["kind"] == "Role" else None
        rules += roles.get((ref["kind"], role_ns, ref["name"]), {}).get("rules", [])
    return rules


def rbac_problems(cluster: Cluster, files: list[str], pages: list[str]) -> list[str]:
    """Roles that miss what their `# kubectl:` commands need, and `auth can-i` answers a page gets wrong."""
    problems = []
    for rel in files:
        for chunk in re.split(r"^---\s*$", (ROOT / rel).read_text(encoding="utf-8"), flags=re.MULTILINE):
            doc = yaml.safe_load(chunk)
            if not isinstance(doc, dict) or doc.get("kind") not in {"Role", "ClusterRole"}:
                continue
            declared = KUBECTL_LINE.search(chunk)
            if not declared:
                problems.append(
                    f"{rel}: {doc['kind']} {doc['metadata']['name']} has no '# kubectl: ...' line "
                    "naming the commands it is for"
                )
                continue
            for command in (c.strip() for c in declared.group(1).split(",")):
                if command not in KUBECTL_NEEDS:
                    problems.append(
                        f"{rel}: '# kubectl: {command}' is not a command this test knows ({', '.join(KUBECTL_NEEDS)})"
                    )
                    continue
                for verb, group, resource in sorted(KUBECTL_NEEDS[command]):
                    if not rbac_allows(doc.get("rules", []), verb, group, resource):
                        problems.append(
                            f"{rel}: {doc['kind']} {doc['metadata']['name']} is for `kubectl {command}`, "
                            f"which needs {verb} on {resource} ({group or 'core'})"
                        )
    for page in pages:
        found = commands(page)
        for index, (line, command, _) in enumerate(found):
            match = CAN_I.search(command)
            if not match or index + 1 >= len(found) or found[index + 1][1] not in {"yes", "no"}:
                continue
            verb, resource, group, sub, namespace, sa_ns, sa = match.groups()
            group = group if group is not None else RESOURCE_GROUPS.get(resource, "")
            allowed = rbac_allows(subject_rules(cluster, sa_ns, sa, namespace), verb, group, resource + (sub or ""))
            shown = found[index + 1][1]
            if allowed != (shown == "yes"):
                problems.append(
                    f"{page}:{line}: the page shows '{shown}', "
                    f"but the RBAC examples answer {'yes' if allowed else 'no'}"
                )
    return problems


@pytest.mark.parametrize("section", SECTIONS)
def test_rbac_roles_cover_their_commands(section: str) -> None:
    files = sorted(p.relative_to(ROOT).as_posix() for p in (DOCS / "examples" / section).rglob("*.y*ml"))
    problems = rbac_problems(_cluster(section), files, section_pages(section))
    assert not problems, "\n".join(problems)


RBAC_FILE = "docs/examples/kubernetes/namespaces-and-isolation-rbac.yaml"


def _rbac_variant(tmp_path: Path, old: str, new: str) -> tuple[Cluster, list[str]]:
    text = (ROOT / RBAC_FILE).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "docs" / "examples" / "rbac.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace(old, new), encoding="utf-8")
    rel = path.as_posix()
    base = _cluster("kubernetes")
    objects = [(s, d) for s, d in base.objects if s != RBAC_FILE]
    objects += [(rel, d) for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if isinstance(d, dict)]
    return Cluster(objects, base.labelled), [rel]


def test_the_deployer_role_is_checked() -> None:
    problems = rbac_problems(_cluster("kubernetes"), [RBAC_FILE], ["docs/kubernetes/namespaces-and-isolation.md"])
    assert problems == []
    assert KUBECTL_LINE.search((ROOT / RBAC_FILE).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'resources: ["replicasets"]',
            'resources: ["replicasetz"]',
            "is for `kubectl rollout history`, which needs list on replicasets",
        ),
        (
            'resources: ["deployments/scale"]',
            'resources: ["deployment/scale"]',
            "which needs patch on deployments/scale",
        ),
        ("# kubectl:", "# commands:", "has no '# kubectl: ...' line"),
        (
            'resources: ["replicasets"]',
            'resources: ["statefulsets"]',
            "the page shows 'yes', but the RBAC examples answer no",
        ),
    ],
)
def test_a_role_that_misses_a_command_fails(tmp_path: Path, old: str, new: str, message: str) -> None:
    cluster, files = _rbac_variant(tmp_path, old, new)
    problems = rbac_problems(cluster, files, ["docs/kubernetes/namespaces-and-isolation.md"])
    assert any(message in p for p in problems), problems


# --- One system: no silent name collisions, versions that follow the facts file -------------------


def _tab_groups(page: str) -> dict[str, tuple[int, str]]:
    """For each example a page includes inside a content tab: (tab group number, tab label)."""
    found: dict[str, tuple[int, str]] = {}
    group, label, previous_blank = 0, None, True
    for line in (ROOT / page).read_text(encoding="utf-8").splitlines():
        tab = re.match(r'^=== "([^"]+)"', line)
        if tab:
            if label is None:
                group += 1
            label = tab.group(1)
        elif line and not line.startswith((" ", "\t")) and previous_blank:
            label = None  # back at the left margin: the tab group ended
        match = INCLUDE.search(line)
        if match and label is not None:
            found[match.group(1)] = (group, label)
        previous_blank = not line.strip()
    return found


def collision_problems(cluster: Cluster, pages: list[str]) -> list[str]:
    """Two example files defining the same object, unless one names the other in its comments
    ("It replaces namespace-istio-ambient.yaml") or a page offers them as alternative tabs."""
    tabs: dict[str, tuple[str, int, str]] = {}
    for page in pages:
        for rel, (group, label) in _tab_groups(page).items():
            tabs[rel] = (page, group, label)
    owners: dict[tuple[str, str, str | None, str | None], list[str]] = {}
    for rel, doc in cluster.objects:
        if "kind" in doc and isinstance(doc.get("metadata"), dict):
            key = (
                _group(str(doc.get("apiVersion", ""))),
                doc["kind"],
                doc["metadata"].get("namespace"),
                doc["metadata"].get("name"),
            )
            if rel not in owners.setdefault(key, []):
                owners[key].append(rel)
    problems = []
    for (_, kind, namespace, name), files in owners.items():
        # Files are related when one names the other or a page offers them as alternative tabs;
        # relations chain (a variant that replaces one alternative is an alternative too).
        component = {f: f for f in files}

        def root(f: str, component: dict[str, str] = component) -> str:
            while component[f] != f:
                f = component[f]
            return f

        for i, first in enumerate(files):
            for second in files[i + 1 :]:
                texts = [(ROOT / f).read_text(encoding="utf-8") for f in (first, second)]
                named = Path(first).name in texts[1] or Path(second).name in texts[0]
                a, b = tabs.get(first), tabs.get(second)
                alternatives = a is not None and b is not None and a[:2] == b[:2] and a[2] != b[2]
                if named or alternatives:
                    component[root(second)] = root(first)
        groups = {root(f) for f in files}
        if len(groups) > 1:
            problems.append(
                f"{kind} {namespace}/{name} is defined by {', '.join(files)}: applying one replaces another; "
                "rename one, or say so in a comment that names the other file"
            )
    return problems


@pytest.mark.parametrize("section", SECTIONS)
def test_examples_do_not_silently_replace_each_other(section: str) -> None:
    problems = collision_problems(_cluster(section), section_pages(section))
    assert not problems, "\n".join(problems)


def test_a_silent_collision_fails(tmp_path: Path) -> None:
    pages = section_pages("service-mesh")
    cluster = _cluster("service-mesh")
    assert collision_problems(cluster, pages) == []
    copy_of = next(d for s, d in cluster.objects if s.endswith("shop-app.yaml") and d.get("kind") == "Deployment")
    (tmp_path / "orders-copy.yaml").write_text("# another orders\n" + yaml.safe_dump(copy_of), encoding="utf-8")
    renamed = (tmp_path / "orders-copy.yaml").as_posix()
    problems = collision_problems(Cluster([*cluster.objects, (renamed, copy_of)]), pages)
    assert len(problems) == 1 and f"is defined by docs/examples/service-mesh/shop-app.yaml, {renamed}" in problems[0]


def test_alternatives_in_tabs_are_not_collisions() -> None:
    tabs = _tab_groups("docs/service-mesh/index.md")
    assert {
        tabs[f"docs/examples/service-mesh/{n}.yaml"][1] for n in ("namespace-istio-sidecar", "namespace-linkerd")
    } == {
        "Istio (sidecar mode)",
        "Linkerd",
    }


def test_pod_security_versions_follow_the_target_release() -> None:
    """`pod-security.kubernetes.io/*-version` labels pin the release the site targets, or `latest`."""
    from site_extensions.facts_data import load

    release = "v" + str(load(ROOT / "data" / "facts.yml")["kubernetes.release"].value)
    pinned = []
    for section in SECTIONS:
        for rel, doc in _cluster(section).objects:
            for key, value in ((doc.get("metadata") or {}).get("labels") or {}).items():
                if key.startswith("pod-security.kubernetes.io/") and key.endswith("-version") and value != "latest":
                    pinned.append((rel, key, value))
    assert pinned, "the examples pin a Pod Security version somewhere"
    wrong = [f"{rel}: {key}: {value} (the site targets {release})" for rel, key, value in pinned if value != release]
    assert not wrong, "\n".join(wrong) + "\nupdate the label with kubernetes.release in data/facts.yml"


# --- The reproducible-build example really reproduces ---------------------------------------------
#
# Without a BuildKit daemon or a registry here, this verifies the parts the example controls: the
# Dockerfile's own `go build` line yields byte-identical binaries from two checkouts at different
# paths, with different file times and cold caches, and it cross-compiles for another
# architecture on this machine; the page's build command passes every input that buildx would
# otherwise vary (SOURCE_DATE_EPOCH, rewrite-timestamp, provenance off, digest-pinned bases).

GO_DOCKERFILE = DOCS / "examples" / "containers" / "go-multistage.Dockerfile"
GO_APP = DOCS / "examples" / "containers" / "go-app"
BUILD_PAGE = "docs/containers/building-images.md"


def go_build_line(dockerfile: str) -> tuple[dict[str, str], list[str]]:
    """(environment, go build arguments) of the Dockerfile's RUN line that compiles the Go program."""
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    run = next(line for line in joined.splitlines() if line.startswith("RUN") and "go build" in line)
    words = [w for w in shlex.split(run)[1:] if not w.startswith("--mount=")]
    env = {}
    while "=" in words[0] and not words[0].startswith("-"):
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    assert words[:2] == ["go", "build"], run
    return env, words[2:]


# The warmed standard library depends only on the Go version and the flags (both in its folder
# name), not on the checkout, so it lives in the user's cache and every clone on a machine shares
# it: a cold one costs about 160 s of compiling on two cores.
GO_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nutshell-test-go"


def _go_env(home: Path, cache: Path, env: dict[str, str], goarch: str) -> dict[str, str]:
    build_env = {k: v.replace("${TARGETOS}", "linux").replace("${TARGETARCH}", goarch) for k, v in env.items()}
    return {
        "PATH": "/usr/bin:/bin:/usr/local/bin:/usr/local/go/bin",
        "HOME": str(home),
        "GOCACHE": str(cache),
        "GOPATH": str(home / "gopath"),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-mod=mod",
        **build_env,
    }


def _run_go(source: Path, args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        ["go", "build", *args], cwd=source, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr


def _warm_cache(env: dict[str, str], args: list[str], goarch: str) -> Path:
    """A Go build cache holding the standard library compiled with these flags (see GO_CACHE).

    It is warmed by building a *changed* copy of the program, so the program itself is never in
    it: each build under test compiles the program from scratch and only reuses the standard
    library, which does not depend on where the checkout lives.
    """
    version = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, check=True).stdout.strip()
    flags = hashlib.sha256(json.dumps([env, args]).encode()).hexdigest()[:12]
    cache = GO_CACHE / f"{version}-{goarch}-{flags}"
    if not (cache / "ready").exists():
        stub = GO_CACHE / "stub-src"
        shutil.rmtree(stub, ignore_errors=True)
        shutil.copytree(GO_APP, stub)
        with (stub / "main.go").open("a", encoding="utf-8") as main:
            main.write("\n// warming the standard-library cache\n")
        out = [a if a != "/out/hello" else str(GO_CACHE / "stub-bin") for a in args]
        _run_go(stub, out, _go_env(GO_CACHE / "home", cache, env, goarch))
        (cache / "ready").write_text("ok\n", encoding="utf-8")
    return cache


def _go_build(tmp: Path, name: str, env: dict[str, str], args: list[str], goarch: str) -> bytes:
    """Build the example's Go program from a fresh checkout at tmp/name, as the Dockerfile does."""
    source = tmp / name / "src"
    shutil.copytree(GO_APP, source)
    stamp = 1_000_000_000 + len(name) * 86_400  # different file times per checkout
    for path in source.rglob("*"):
        os_utime(path, stamp)
    cache = tmp / name / "cache"
    shutil.copytree(_warm_cache(env, args, goarch), cache)
    out = tmp / name / "hello"
    _run_go(source, [a if a != "/out/hello" else str(out) for a in args], _go_env(tmp / name, cache, env, goarch))
    return out.read_bytes()


def os_utime(path: Path, stamp: int) -> None:
    import os

    os.utime(path, (stamp, stamp))


needs_go = pytest.mark.skipif(shutil.which("go") is None, reason="Go is installed by `make test` (scripts/setup.sh)")


@needs_go
def test_the_go_build_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    env, args = go_build_line(GO_DOCKERFILE.read_text(encoding="utf-8"))
    assert "-trimpath" in args and any("-buildid=" in a for a in args)
    first = _go_build(tmp_path, "checkout-a", env, args, "amd64")
    second = _go_build(tmp_path, "another-checkout-b", env, args, "amd64")
    assert first == second, "two builds of the same source differ: the Dockerfile's go build is not reproducible"


@needs_go
def test_without_trimpath_the_builds_differ(tmp_path: Path) -> None:
    """The mutation the test above must catch: the checkout path leaks into the binary."""
    env, args = go_build_line(GO_DOCKERFILE.read_text(encoding="utf-8"))
    args = [a for a in args if a != "-trimpath"]
    assert _go_build(tmp_path, "checkout-a", env, args, "amd64") != _go_build(
        tmp_path, "checkout-bb", env, args, "amd64"
    )


@needs_go
def test_the_build_stage_cross_compiles_for_arm64(tmp_path: Path) -> None:
    env, args = go_build_line(GO_DOCKERFILE.read_text(encoding="utf-8"))
    binary = _go_build(tmp_path, "arm", env, args, "arm64")
    assert binary[:4] == b"\x7fELF" and int.from_bytes(binary[18:20], "little") == 0xB7  # EM_AARCH64
    assert env.get("CGO_ENABLED") == "0", "a static binary: the distroless static base has no libc"


def reproducibility_problems(dockerfile: str, page: str) -> list[str]:
    """What the page's buildx command and the Dockerfile must pin for the digest to repeat."""
    text = (ROOT / page).read_text(encoding="utf-8").splitlines()
    heading = next((n for n, line in enumerate(text, start=1) if line.startswith("## Reproducible builds")), 0)
    build = next((c for n, c, _ in commands(page) if n > heading > 0 and "buildx build" in c), "")
    problems = []
    for needed, why in [
        ("--build-arg SOURCE_DATE_EPOCH", "timestamps in the config and history"),
        ("rewrite-timestamp=true", "file times inside layers"),
        ("--provenance=false", "the provenance attestation records build times"),
        ("GO_IMAGE=", "the build base"),
        ("RUNTIME_IMAGE=", "the runtime base"),
    ]:
        if needed not in build:
            problems.append(f"the buildx command lacks {needed} ({why})")
    for arg in ("GO_IMAGE", "RUNTIME_IMAGE"):
        if not re.search(rf"{arg}=\S*@\$\{{?\w+_DIGEST\}}?", build):
            problems.append(f"{arg} is not pinned by digest in the buildx command")
        if not re.search(rf"^FROM (--platform=\S+ )?\$\{{?{arg}\}}?", dockerfile, flags=re.MULTILINE):
            problems.append(f"the Dockerfile does not build FROM ${{{arg}}}, so pinning it changes nothing")
    return problems


def test_the_reproducible_build_command_pins_every_input() -> None:
    assert reproducibility_problems(GO_DOCKERFILE.read_text(encoding="utf-8"), BUILD_PAGE) == []


def test_an_unpinned_reproducible_build_fails() -> None:
    dockerfile = GO_DOCKERFILE.read_text(encoding="utf-8")
    problems = reproducibility_problems(dockerfile.replace("${RUNTIME_IMAGE}", "gcr.io/distroless/static"), BUILD_PAGE)
    assert problems == ["the Dockerfile does not build FROM ${RUNTIME_IMAGE}, so pinning it changes nothing"]
    assert reproducibility_problems(dockerfile, "docs/containers/index.md") != []


# --- NetworkPolicies agree with each other --------------------------------------------------------


def policy_path_problems(cluster: Cluster) -> list[str]:
    """Each allow rule states a traffic path; the other side's policies must admit it too.

    An Egress rule from the web Pods to the api Pods on 8080 is pointless (and the page routing
    web to api is wrong) if the api Pods' Ingress policies do not admit web; likewise an Ingress
    rule whose sources may not send (their own Egress policies block it).
    """
    problems = []
    for rel, policy in cluster.of_kind("NetworkPolicy"):
        namespace, spec = policy["metadata"].get("namespace"), policy.get("spec", {})
        name = policy["metadata"]["name"]
        selected = [
            p for p in cluster.pods if p.namespace == namespace and selects(spec.get("podSelector") or {}, p.labels)
        ]
        for direction, peers_key in (("egress", "to"), ("ingress", "from")):
            for rule in spec.get(direction, []) or []:
                for peer in rule.get(peers_key) or []:
                    if "podSelector" not in peer and "namespaceSelector" not in peer:
                        continue
                    others = [
                        p
                        for p in cluster.pods
                        if p.namespace is not None
                        and (
                            selects(peer["namespaceSelector"], cluster.namespace_labels(p.namespace))
                            if "namespaceSelector" in peer
                            else p.namespace == namespace
                        )
                        and selects(peer.get("podSelector") or {}, p.labels)
                    ]
                    for source, target in (
                        [(s, t) for s in selected for t in others]
                        if direction == "egress"
                        else [(s, t) for s in others for t in selected]
                    ):
                        for port in rule.get("ports") or [{}]:
                            number = port.get("port")
                            number = target.port_number(number) if isinstance(number, str) else number
                            if number is None:
                                continue
                            for reason in cluster.admits(source.namespace or namespace, source.labels, target, number):
                                problems.append(
                                    f"{rel}: NetworkPolicy {name} allows {source.owner} -> {target.owner}:{number}, "
                                    f"but {reason}"
                                )
    return sorted(set(problems))


@pytest.mark.parametrize("section", SECTIONS)
def test_network_policies_admit_the_paths_they_state(section: str) -> None:
    problems = policy_path_problems(_cluster(section))
    assert not problems, "\n".join(problems)


def test_a_one_sided_network_policy_fails() -> None:
    assert policy_path_problems(_cluster("kubernetes")) == []

    def only_gateway(doc: dict[str, Any]) -> None:
        doc["spec"]["ingress"][0]["from"] = [p for p in doc["spec"]["ingress"][0]["from"] if "namespaceSelector" in p]

    problems = policy_path_problems(_section_with("kubernetes", POLICY_FILE, only_gateway))
    assert any(
        "allow-web-to-api allows Deployment/web -> Deployment/api-v1:8080, but no Ingress rule" in p for p in problems
    ), problems
