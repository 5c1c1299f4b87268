"""A generated site for the scale runs: N pages and F figure scripts in the house style.

The site skeleton (mkdocs.yml without its nav, theme overrides, includes, stylesheets, the
house style) is copied from the real site, so the corpus is built exactly as the real site
is; the pages and figure scripts are made from templates with a fixed random seed, so every
run builds the same corpus. Pages are split into sections of 25, and the figures are spread
evenly over the pages, each shown once.
"""

from __future__ import annotations

import random
import shutil
import textwrap
from pathlib import Path

from .. import mkdocs_config
from .variants import copy_site, figures_config

SECTION_SIZE = 25
NODES = [
    ("diagrams.k8s.compute", ["Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"]),
    ("diagrams.k8s.network", ["Service", "Ingress", "NetworkPolicy", "Endpoint"]),
    ("diagrams.k8s.storage", ["PV", "PVC", "StorageClass"]),
    ("diagrams.k8s.controlplane", ["APIServer", "Scheduler", "Kubelet", "KubeProxy", "ControllerManager"]),
    ("diagrams.onprem.network", ["Envoy", "Istio", "Linkerd", "Nginx", "Traefik", "HAProxy"]),
    ("diagrams.onprem.container", ["Containerd", "Crio", "Docker", "Gvisor"]),
    ("diagrams.onprem.database", ["PostgreSQL", "MySQL", "MongoDB", "Cassandra"]),
    ("diagrams.onprem.monitoring", ["Prometheus", "Grafana", "Thanos"]),
    ("diagrams.onprem.client", ["User", "Users", "Client"]),
    ("diagrams.onprem.registry", ["Harbor", "Jfrog"]),
    ("diagrams.onprem.vcs", ["Git", "Github"]),
]
WORDS = [
    "pod",
    "node",
    "cluster",
    "image",
    "layer",
    "registry",
    "runtime",
    "kernel",
    "namespace",
    "cgroup",
    "service",
    "proxy",
    "sidecar",
    "mesh",
    "route",
    "policy",
    "secret",
    "volume",
    "claim",
    "controller",
    "scheduler",
    "kubelet",
    "replica",
    "rollout",
    "probe",
    "gateway",
    "identity",
    "certificate",
    "trace",
    "metric",
    "span",
    "request",
    "response",
    "budget",
    "quota",
    "label",
    "selector",
    "endpoint",
]
GROUP_NAMES = ["pod", "node", "namespace", "cluster", "control plane", "data plane", "edge", "storage"]
VERBS = ["calls", "reads", "writes", "watches", "routes", "pulls", "pushes", "mirrors", "schedules", "proxies"]


def _label(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, rng.randint(1, 2)))


def figure_script(index: int) -> str:
    """One figure script: 3-12 nodes from 1-3 groups (sometimes nested) and labelled flows."""
    rng = random.Random(index)
    picks = []
    for _ in range(rng.randint(3, 12)):
        module, classes = rng.choice(NODES)
        picks.append((module, rng.choice(classes)))
    imports: dict[str, set[str]] = {}
    for module, cls in picks:
        imports.setdefault(module, set()).add(cls)
    lines = [f'"""Generated figure {index} for the scale benchmark."""', ""]
    lines += [f"from {m} import {', '.join(sorted(c))}" for m, c in sorted(imports.items())]
    lines += ["", "from house_style import figure, flow, group", ""]
    direction = rng.choice(["LR", "TB"])
    lines.append(f"with figure({f'Generated figure {index}'!r}, direction={direction!r}):")
    n_groups = rng.randint(0, 3)
    nested = rng.random() < 0.4
    per_group = max(1, len(picks) // (n_groups + 1))
    indent = "    "
    for i, (_, cls) in enumerate(picks):
        g = i // per_group
        if 0 < g <= n_groups and i % per_group == 0:
            indent = "        " + ("    " if nested and g > 1 else "")
            lines.append(f"{indent[:-4]}with group({rng.choice(GROUP_NAMES)!r}):")
        lines.append(f"{indent}n{i} = {cls}({_label(rng)!r})")
    for i in range(1, len(picks)):
        j = rng.randrange(i)
        accent, warn, dashed = rng.random() < 0.15, rng.random() < 0.1, rng.random() < 0.2
        options = "".join(f", {k}=True" for k, v in (("accent", accent), ("warn", warn), ("dashed", dashed)) if v)
        lines.append(f"    n{j} >> flow({rng.choice(VERBS)!r}{options}) >> n{i}")
    return "\n".join(lines) + "\n"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return textwrap.fill(" ".join(_sentence(rng) for _ in range(rng.randint(3, 6))), 100)


def page_text(index: int, figures: list[int], pages: int) -> str:
    """A page of about 500 words: headings, paragraphs, a list, a table, code, an admonition, figures."""
    rng = random.Random(10_000 + index)
    title = f"Topic {index}: {' '.join(rng.sample(WORDS, 2))}"
    out = ["---", f"description: Generated page {index} of {pages} for the scale benchmark.", "---", ""]
    out += [f"# {title}", "", _paragraph(rng), ""]
    for h in range(3):
        out += [f"## Part {h + 1}: {rng.choice(WORDS)}", "", _paragraph(rng), ""]
        if h == 0:
            out += [f"- {_sentence(rng)}" for _ in range(4)] + [""]
            out += ["| item | value |", "| --- | --- |"]
            out += [f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} |" for _ in range(3)]
            out += [""]
        if h == 1:
            out += ["```yaml", "apiVersion: v1", "kind: Pod", "metadata:", f"  name: {rng.choice(WORDS)}-{index}"]
            out += ["spec:", "  containers:", "    - name: app", "      image: example.org/app:1.0", "```", ""]
            out += ['!!! note "Worth knowing"', "", "    " + _sentence(rng), ""]
        for f in figures[h::3]:
            out += [f"![Generated figure {f}: {_sentence(rng)}](figure:gen_{f:04d})", ""]
    neighbour = (index + 1) % pages
    out += [f"Next: [topic {neighbour}](../{_section(neighbour)}/page_{neighbour:04d}.md).", ""]
    return "\n".join(out)


def _section(index: int) -> str:
    return f"section_{index // SECTION_SIZE:02d}"


def make_corpus(source: Path, target: Path, pages: int, figures: int) -> Path:
    """Write the corpus into `target` (a new folder) and return it."""
    copy_site(source, target)
    config = mkdocs_config.load(target / "mkdocs.yml")
    options = figures_config(config)
    docs = target / config.get("docs_dir", "docs")
    scripts = target / options.scripts_dir
    keep = {"stylesheets", "javascripts", "assets", "images"}
    for item in docs.iterdir():
        if item.is_dir() and item.name not in keep:
            shutil.rmtree(item)
        elif item.is_file():
            item.unlink()
    for item in scripts.iterdir():
        if item.name != options.style_module:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    config.pop("nav", None)  # every page, in folder order
    mkdocs_config.dump(config, target / "mkdocs.yml")
    for f in range(figures):
        (scripts / f"gen_{f:04d}.py").write_text(figure_script(f), encoding="utf-8")
    by_page: dict[int, list[int]] = {}
    for f in range(figures):
        by_page.setdefault(f * pages // max(figures, 1), []).append(f)
    (docs / "index.md").write_text(
        "---\ndescription: Generated corpus for the scale benchmark.\n---\n\n# Scale corpus\n\n"
        f"{pages} pages and {figures} figures, generated.\n",
        encoding="utf-8",
    )
    for p in range(pages):
        folder = docs / _section(p)
        folder.mkdir(exist_ok=True)
        (folder / f"page_{p:04d}.md").write_text(page_text(p, by_page.get(p, []), pages), encoding="utf-8")
    return target
