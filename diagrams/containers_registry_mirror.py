"""Registry topology with a pull-through mirror: nodes pull through a local cache that fetches from upstream registries once, while CI pushes to a private registry."""

from diagrams.k8s.infra import Node
from diagrams.onprem.ci import GithubActions
from diagrams.onprem.container import Docker
from diagrams.onprem.network import Internet
from diagrams.onprem.registry import Harbor
from diagrams.onprem.security import Trivy

from house_style import box, control, figure, group, main_path, request

with figure("Registry topology with a pull-through mirror"):
    with group("cluster nodes", direction="TB") as nodes:
        n1 = Node("node 1")
        n2 = Node("node 2")
        n3 = Node("node 3")
    with group("your network", direction="TB"):
        ci = GithubActions("CI")
        private = box("private\nregistry")
        mirror = Harbor("pull-through\nmirror")
        scanner = Trivy("scanner")
    with group("internet", dashed=True, direction="TB"):
        hub = Docker("Docker Hub")
        others = Internet("ghcr.io, quay.io")

    n1 >> request("own images", out_of=nodes) >> private
    n3 >> request("public images", out_of=nodes) >> mirror
    ci >> request("push") >> private
    mirror >> main_path("miss: fetch\nonce") >> hub
    mirror >> request() >> others
    scanner >> control("scan") >> private
    scanner >> control("scan") >> mirror
