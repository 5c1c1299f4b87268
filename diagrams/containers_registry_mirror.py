"""Registry topology with a pull-through mirror: nodes pull through a local cache that fetches from upstream registries once, while CI pushes to a private registry."""

from diagrams.k8s.infra import Node
from diagrams.onprem.ci import GithubActions
from diagrams.onprem.container import Docker
from diagrams.onprem.network import Internet
from diagrams.onprem.registry import Harbor
from diagrams.onprem.security import Trivy

from house_style import figure, flow, group

with figure("Registry topology with a pull-through mirror", direction="TB"):
    with group("cluster nodes"):
        n1 = Node("node")
        n2 = Node("node")
        n3 = Node("node")
    with group("your network"):
        mirror = Harbor("pull-through\nmirror")
        private = Harbor("private registry")
        scanner = Trivy("scanner")
        ci = GithubActions("CI")
    with group("internet", dashed=True):
        hub = Docker("Docker Hub")
        others = Internet("ghcr.io, quay.io,\nregistry.k8s.io")

    n1 >> flow("pull public images") >> mirror
    n2 >> flow() >> mirror
    n3 >> flow() >> mirror
    n1 >> flow("pull own images") >> private
    mirror >> flow("miss: fetch once", accent=True) >> hub
    mirror >> flow("miss: fetch once", accent=True) >> others
    ci >> flow("push") >> private
    scanner >> flow("scan", dashed=True) >> private
    scanner >> flow("scan", dashed=True) >> mirror
