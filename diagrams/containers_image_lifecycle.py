"""An image's life across two machines: built and pushed on one, stored in a registry, pulled and run on another."""

from diagrams.onprem.client import Client
from diagrams.onprem.container import Containerd
from diagrams.onprem.registry import Harbor
from diagrams.onprem.vcs import Git
from diagrams.programming.flowchart import Action, Document

from house_style import box, figure, flow, group, same_row

with figure("Image lifecycle from build to run across two hosts", direction="TB"):
    # Three rows: the build host, the registry between the hosts, and the run host.
    with group("build host (CI runner)"):
        src = Git("source +\nDockerfile")
        builder = box("BuildKit\nbuild")
        image = Document("image + SBOM,\nsignature")
    registry = Harbor("registry")
    with group("run host"):
        node = Client("docker run\nor kubelet")
        runtime = Containerd("runtime")
        container = Action("container")

    src >> same_row(flow("build")) >> builder
    builder >> same_row(flow("export")) >> image
    image >> flow("push by tag", accent=True) >> registry
    registry >> flow("pull by digest", accent=True) >> runtime
    node >> same_row(flow("start")) >> runtime
    runtime >> same_row(flow("unpack + run")) >> container
