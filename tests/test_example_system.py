"""The examples are one working system: what schema validation of single files cannot see.

`tests/test_examples.py` checks each file on its own (hadolint, `kubernetes-validate --strict`).
This module checks the examples together, page by page, and each check is proven by a mutation
that must fail it:

- every Service's selector matches Pods that the same page declares, and its `targetPort` names
  or numbers a port those Pods declare;
- a hand-made EndpointSlice names a selector-less Service of its page and namespace, matches that
  Service's port names, and is labelled as managed by someone other than the control plane;
- every Pod an example puts in a namespace whose example sets `pod-security.kubernetes.io/enforce`
  passes that Pod Security level, and every file marked `# pod-security: restricted` passes
  restricted (tests/pod_security.py);
- a KubeletConfiguration that sets `evictionHard` lists every default signal (or merges the
  defaults), since a signal it leaves out becomes 0;
- custom resources (Istio, Gateway API) validate against the projects' CRD schemas from the
  `@kubernetes-models/*` npm packages, with unknown fields rejected (scripts/validate_custom_resources.mjs);
  a CustomResourceDefinition manifest is validated as the built-in kind it is;
- a misspelt `apiVersion` or `kind` key fails instead of passing as plain YAML, and so does an
  API group that nothing can validate;
- enum fields (`restartPolicy`, `protocol`, `imagePullPolicy`, ...) hold one of the values the
  Kubernetes API documents for them;
- the multi-platform Dockerfile cross-compiles: its build stage runs on `$BUILDPLATFORM` and
  builds for `$TARGETOS`/`$TARGETARCH`.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from cluster_model import Cluster, selects
from pod_security import level_problems

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
INCLUDE = re.compile(r'--8<--\s+"(docs/examples/[^"]+\.ya?ml)"')
POD_TEMPLATES = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

# API groups of the Kubernetes API server (validated by kubernetes-validate in test_examples.py).
BUILTIN_GROUPS = {
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apps",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
}
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
# Projects with no CRD package on npm yet: their resources are not schema-checked. To close a
# gap, vendor the project's CRD YAML (with its LICENSE and version) or add an npm package, and
# remove the group here; test_pending_groups_really_lack_a_schema keeps this list honest.
PENDING_GROUPS = {"policy.linkerd.io", "linkerd.io", "cilium.io"}


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
RESTRICTED_EXAMPLE = "docs/examples/kubernetes/namespaces-and-isolation-restricted-pod.yaml"


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
            for problem in level_problems(level, pod["spec"]):
                problems.append(f"{rel}: {doc.get('kind')} {doc.get('metadata', {}).get('name')}: {level}: {problem}")
    return problems


@pytest.mark.parametrize("section", sorted({_section(rel) for rel in ALL_YAML}))
def test_pods_pass_the_pod_security_level_of_their_namespace(section: str) -> None:
    levels = _enforced_levels(section)
    problems = pod_security_problems(_objects([rel for rel in ALL_YAML if _section(rel) == section]), levels)
    assert not problems, "\n".join(problems)


def test_the_kubernetes_namespace_enforces_a_level() -> None:
    assert _enforced_levels("kubernetes").get("shop") == "baseline"


def _marked_restricted() -> list[str]:
    return [rel for rel in ALL_YAML if RESTRICTED_MARK.search((ROOT / rel).read_text(encoding="utf-8"))]


def test_examples_marked_restricted_pass_restricted() -> None:
    marked = _marked_restricted()
    assert RESTRICTED_EXAMPLE in marked
    objects = _objects(marked)
    assert any(_pod_templates(d) for _, d in objects)
    problems = [
        f"{rel}: {d.get('kind')} {d.get('metadata', {}).get('name')}: {problem}"
        for rel, d in objects
        for pod in _pod_templates(d)
        for problem in level_problems("restricted", pod["spec"])
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
                _VIRTUAL_SERVICE, lambda d: d["spec"]["http"][0]["route"][0]["destination"]["port"].update(numbr=1)
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
        if group not in BUILTIN_GROUPS | CONFIG_GROUPS | SCHEMA_GROUPS | PENDING_GROUPS:
            problems.append(
                f"{rel}: no schema validates API group {group!r} ({doc['apiVersion']} {doc['kind']}): "
                "add its project's @kubernetes-models npm package to package.json and to PROVIDERS in "
                "scripts/validate_custom_resources.mjs, or vendor its CRD YAML with licence and version"
            )
    return problems


@pytest.mark.parametrize("rel", ALL_YAML, ids=lambda p: p.removeprefix("docs/examples/"))
def test_every_object_is_one_a_schema_checks(rel: str) -> None:
    problems = [p for doc in _load(rel) for p in type_problems(rel, doc)]
    assert not problems, "\n".join(problems)


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
    problems = [p for doc in _load(rel) for p in enum_problems(rel, doc)]
    assert not problems, "\n".join(problems)


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


FENCE_LINE = re.compile(r"^\s*(```|~~~)")


def commands(page: str) -> list[tuple[int, str, str]]:
    """(line, command, comment just above it) of every shell line in the page's code blocks.

    Continuation lines (ending in a backslash) are joined; a `$ ` prompt is dropped.
    """
    found: list[tuple[int, str, str]] = []
    in_fence, pending, start, comment = False, "", 0, ""
    for number, raw in enumerate((ROOT / page).read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE_LINE.match(raw):
            in_fence, comment = not in_fence, ""
            continue
        if not in_fence:
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
