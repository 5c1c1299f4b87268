"""A small model of what a section's example manifests do together, for tests/test_example_system.py.

It answers the questions a reader's cluster would answer once every example of a section is
applied: which Pods a Service fronts and on which container port, whether the NetworkPolicies
let a given Pod reach another on a port, what a LimitRange fills in, and what a set of RBAC
rules allows. It follows the Kubernetes API's documented semantics (label selectors,
NetworkPolicy peers and ports, LimitRange defaulting in `SetDefaults_LimitRangeItem`, RBAC rule
matching) and is deliberately no more than that: no CNI, no scheduler, no admission chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

POD_TEMPLATES = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}


def selects(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels and matchExpressions, or a plain map) matches labels."""
    if selector is None:
        return False
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        return all(labels.get(k) == v for k, v in selector.items())
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values") or []
        present = key in labels
        if operator == "In" and (not present or labels[key] not in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


@dataclass
class Pod:
    """A Pod, or the Pods a workload's template creates."""

    source: str
    owner: str
    namespace: str | None
    labels: dict[str, str]
    spec: dict[str, Any]
    replicas: int = 1

    def containers(self) -> list[dict[str, Any]]:
        """App containers and native sidecars (init containers with restartPolicy Always)."""
        spec = self.spec
        return spec.get("containers", []) + [c for c in spec.get("initContainers", []) if c.get("restartPolicy")]

    def port_number(self, target: int | str) -> int | None:
        """The container port a Service targetPort (number or name) resolves to on this Pod."""
        if isinstance(target, int):
            return target
        for container in self.containers():
            for port in container.get("ports", []):
                if port.get("name") == target:
                    return int(port["containerPort"])
        return None


@dataclass
class Cluster:
    """Every object of a set of example files, and what they do together."""

    objects: list[tuple[str, dict[str, Any]]]
    # Labels the pages add with `kubectl label namespace NAME key=value`.
    labelled: dict[str, dict[str, str]] = field(default_factory=dict)
    pods: list[Pod] = field(init=False)

    def __post_init__(self) -> None:
        self.pods = [pod for source, doc in self.objects for pod in pods_of(source, doc)]

    def of_kind(self, kind: str, api_version: str | None = None) -> list[tuple[str, dict[str, Any]]]:
        return [
            (s, d)
            for s, d in self.objects
            if d.get("kind") == kind and (api_version is None or d.get("apiVersion") == api_version)
        ]

    def namespace_labels(self, name: str) -> dict[str, str]:
        """A namespace's labels: those its Namespace example sets, plus the automatic name label."""
        labels = {"kubernetes.io/metadata.name": name}
        for _, doc in self.of_kind("Namespace", "v1"):
            if doc.get("metadata", {}).get("name") == name:
                labels.update(doc["metadata"].get("labels") or {})
        labels.update(self.labelled.get(name, {}))
        return labels

    def declares_namespace(self, name: str) -> bool:
        return any(d.get("metadata", {}).get("name") == name for _, d in self.of_kind("Namespace", "v1"))

    def service(self, name: str, namespace: str | None) -> dict[str, Any] | None:
        for _, doc in self.of_kind("Service", "v1"):
            meta = doc.get("metadata", {})
            if meta.get("name") == name and (namespace is None or meta.get("namespace") in (None, namespace)):
                return doc
        return None

    def backends(self, service: dict[str, Any]) -> list[Pod]:
        """The Pods a Service's selector picks, in its namespace."""
        selector = service.get("spec", {}).get("selector")
        namespace = service.get("metadata", {}).get("namespace")
        if not selector:
            return []
        return [
            p
            for p in self.pods
            if selects(selector, p.labels) and (namespace is None or p.namespace in (None, namespace))
        ]

    def admits(self, source_ns: str, source_labels: dict[str, str], target: Pod, port: int) -> list[str]:
        """Why the NetworkPolicies stop a connection to `target` on container `port` (empty: admitted)."""
        blocked = []
        egress = self._policies(source_ns, source_labels, "Egress")
        if egress and not any(
            self._peer_rules_admit(
                rule.get("to"), rule.get("ports"), ns, target.namespace or ns, target.labels, port, target
            )
            for ns, rule in egress
        ):
            blocked.append(f"no Egress rule in namespace {source_ns} lets {source_labels} reach {target.owner}:{port}")
        target_ns = target.namespace or source_ns
        ingress = self._policies(target_ns, target.labels, "Ingress")
        if ingress and not any(
            self._peer_rules_admit(rule.get("from"), rule.get("ports"), ns, source_ns, source_labels, port, target)
            for ns, rule in ingress
        ):
            blocked.append(
                f"no Ingress rule in namespace {target_ns} admits {source_labels} from namespace {source_ns}"
            )
        return blocked

    def _policies(self, namespace: str, labels: dict[str, str], direction: str) -> list[tuple[str, dict[str, Any]]]:
        """(namespace, rule) of every policy that isolates these Pods in this direction."""
        found: list[tuple[str, dict[str, Any]]] = []
        isolated = False
        for _, doc in self.of_kind("NetworkPolicy"):
            spec = doc.get("spec", {})
            if doc.get("metadata", {}).get("namespace") != namespace:
                continue
            if not selects(spec.get("podSelector") or {}, labels):
                continue
            types = spec.get("policyTypes") or (["Ingress"] + (["Egress"] if "egress" in spec else []))
            if direction not in types:
                continue
            isolated = True
            found += [(namespace, rule) for rule in spec.get(direction.lower(), []) or []]
        return found if isolated else []

    def _peer_rules_admit(
        self,
        peers: list[dict[str, Any]] | None,
        ports: list[dict[str, Any]] | None,
        policy_ns: str,
        peer_ns: str,
        peer_labels: dict[str, str],
        port: int,
        target: Pod,
    ) -> bool:
        if ports and not any(self._port_matches(p, port, target) for p in ports):
            return False
        if not peers:
            return True
        for peer in peers:
            if "ipBlock" in peer:
                continue  # Pod-to-Pod paths are not modelled as IP blocks
            ns_selector, pod_selector = peer.get("namespaceSelector"), peer.get("podSelector")
            ns_ok = (
                selects(ns_selector, self.namespace_labels(peer_ns))
                if ns_selector is not None
                else peer_ns == policy_ns
            )
            if ns_selector == {}:
                ns_ok = True
            pod_ok = pod_selector is None or pod_selector == {} or selects(pod_selector, peer_labels)
            if ns_ok and pod_ok:
                return True
        return False

    @staticmethod
    def _port_matches(rule: dict[str, Any], port: int, target: Pod) -> bool:
        wanted = rule.get("port")
        if wanted is None:
            return True
        if isinstance(wanted, str):
            wanted = target.port_number(wanted)
        end = rule.get("endPort", wanted)
        return wanted is not None and wanted <= port <= end


def pods_of(source: str, doc: dict[str, Any]) -> list[Pod]:
    """The Pods an object creates (a Pod itself, or a workload's template)."""
    kind = doc.get("kind")
    meta = doc.get("metadata", {})
    owner = f"{kind}/{meta.get('name')}"
    if kind == "Pod":
        return [Pod(source, owner, meta.get("namespace"), meta.get("labels") or {}, doc.get("spec", {}))]
    template = None
    replicas = 1
    if kind in POD_TEMPLATES:
        template = doc.get("spec", {}).get("template")
        replicas = int(doc.get("spec", {}).get("replicas", 1) or 1)
    elif kind == "CronJob":
        template = doc.get("spec", {}).get("jobTemplate", {}).get("spec", {}).get("template")
    if not template:
        return []
    labels = template.get("metadata", {}).get("labels") or {}
    return [Pod(source, owner, meta.get("namespace"), labels, template.get("spec", {}), replicas)]


# --- Quantities, LimitRange defaulting, ResourceQuota ------------------------------------------

SUFFIXES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 10**3, "M": 10**6, "G": 10**9, "m": 10**-3}


def quantity(value: str | int | float) -> float:
    """A Kubernetes quantity (`250m`, `1.5`, `128Mi`) as a number of base units."""
    text = str(value)
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * SUFFIXES[suffix]
    return float(text)


def limit_range_defaults(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(default limits, default requests) of a LimitRange item after API defaulting.

    As `SetDefaults_LimitRangeItem` does: a missing default limit is the max; a missing default
    request is the default limit, else the min.
    """
    default = dict(item.get("default") or {})
    request = dict(item.get("defaultRequest") or {})
    for key, value in (item.get("max") or {}).items():
        default.setdefault(key, value)
    for key, value in default.items():
        request.setdefault(key, value)
    for key, value in (item.get("min") or {}).items():
        request.setdefault(key, value)
    return default, request


# --- RBAC -----------------------------------------------------------------------------------------


def rbac_allows(rules: list[dict[str, Any]], verb: str, group: str, resource: str) -> bool:
    """Whether RBAC rules grant `verb` on `resource` (optionally `resource/subresource`) in `group`."""
    for rule in rules:
        if not ({"*", group} & set(rule.get("apiGroups", []))):
            continue
        if not ({"*", resource} & set(rule.get("resources", []))):
            continue
        if {"*", verb} & set(rule.get("verbs", [])):
            return True
    return False
