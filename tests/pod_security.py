"""The Pod Security Standards' baseline and restricted levels, as checks on a Pod spec.

Each rule follows https://kubernetes.io/docs/concepts/security/pod-security-standards/ and returns
a message in the words Pod Security Admission uses, so a failing example reads like the warning
`kubectl apply` would print. Only the fields the site's examples can carry are covered: Windows
HostProcess, sysctls and SELinux options are out of scope (no example sets them).
"""

from __future__ import annotations

from typing import Any

# Capabilities baseline allows a container to add.
BASELINE_CAPABILITIES = {
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
}
# Volume types restricted allows.
RESTRICTED_VOLUMES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}
LEVELS = ("privileged", "baseline", "restricted")


def _containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("initContainers", []) + spec.get("containers", []) + spec.get("ephemeralContainers", [])


def baseline_problems(spec: dict[str, Any]) -> list[str]:
    """What baseline forbids in a Pod spec: host namespaces, privileged, hostPath, host ports, extra capabilities."""
    problems = [f"host namespaces ({key}=true)" for key in ("hostNetwork", "hostPID", "hostIPC") if spec.get(key)]
    problems += [f"hostPath volumes (volume {v.get('name')!r})" for v in spec.get("volumes", []) if "hostPath" in v]
    pod_seccomp = spec.get("securityContext", {}).get("seccompProfile", {}).get("type")
    if pod_seccomp == "Unconfined":
        problems.append('seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")')
    for container in _containers(spec):
        name = container.get("name")
        context = container.get("securityContext", {})
        if context.get("privileged"):
            problems.append(f"privileged (container {name!r} must not set securityContext.privileged=true)")
        added = set(context.get("capabilities", {}).get("add", [])) - BASELINE_CAPABILITIES
        if added:
            problems.append(f"non-default capabilities (container {name!r} must not include {sorted(added)})")
        ports = [p.get("hostPort") for p in container.get("ports", []) if p.get("hostPort")]
        if ports:
            problems.append(f"hostPort (container {name!r} uses hostPort {ports})")
        if context.get("seccompProfile", {}).get("type") == "Unconfined":
            problems.append(f'seccompProfile (container {name!r} must not set it to "Unconfined")')
        if context.get("appArmorProfile", {}).get("type") == "Unconfined":
            problems.append(f'appArmorProfile (container {name!r} must not set it to "Unconfined")')
        if context.get("procMount", "Default") != "Default":
            problems.append(f"procMount (container {name!r} must not set securityContext.procMount)")
    return problems


def restricted_problems(spec: dict[str, Any]) -> list[str]:
    """Everything baseline forbids, plus what restricted requires of every container."""
    problems = baseline_problems(spec)
    pod = spec.get("securityContext", {})
    problems += [
        f"restricted volume types (volume {v.get('name')!r} uses {sorted(set(v) - {'name'})})"
        for v in spec.get("volumes", [])
        if not set(v) - {"name"} <= RESTRICTED_VOLUMES
    ]
    if pod.get("runAsUser") == 0:
        problems.append("runAsUser=0 (pod must not set runAsUser=0)")
    for container in _containers(spec):
        name = container.get("name")
        context = container.get("securityContext", {})
        if context.get("allowPrivilegeEscalation") is not False:
            problems.append(
                f"allowPrivilegeEscalation != false (container {name!r} must set "
                "securityContext.allowPrivilegeEscalation=false)"
            )
        capabilities = context.get("capabilities", {})
        if "ALL" not in capabilities.get("drop", []):
            problems.append(
                f'unrestricted capabilities (container {name!r} must set securityContext.capabilities.drop=["ALL"])'
            )
        added = set(capabilities.get("add", [])) - {"NET_BIND_SERVICE"}
        if added:
            problems.append(f"unrestricted capabilities (container {name!r} must not add {sorted(added)})")
        if context.get("runAsNonRoot", pod.get("runAsNonRoot")) is not True:
            problems.append(
                f"runAsNonRoot != true (pod or container {name!r} must set securityContext.runAsNonRoot=true)"
            )
        if context.get("runAsUser") == 0:
            problems.append(f"runAsUser=0 (container {name!r} must not set runAsUser=0)")
        seccomp = context.get("seccompProfile", pod.get("seccompProfile", {})).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problems.append(
                f"seccompProfile (pod or container {name!r} must set securityContext.seccompProfile.type to "
                '"RuntimeDefault" or "Localhost")'
            )
    return problems


def level_problems(level: str, spec: dict[str, Any]) -> list[str]:
    """The violations of `level` (privileged, baseline or restricted) in a Pod spec."""
    if level == "restricted":
        return restricted_problems(spec)
    if level == "baseline":
        return baseline_problems(spec)
    if level == "privileged":
        return []
    raise ValueError(f"unknown Pod Security level {level!r}; use one of {', '.join(LEVELS)}")
