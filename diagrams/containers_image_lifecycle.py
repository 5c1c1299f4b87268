"""An image's life across two machines: built and pushed on one, stored in a registry, pulled and run on another."""

from diagrams.onprem.ci import GithubActions
from diagrams.onprem.client import Client
from diagrams.onprem.container import Containerd
from diagrams.onprem.registry import Harbor
from diagrams.onprem.vcs import Git
from diagrams.programming.flowchart import Action, Document

from house_style import figure, flow, group

with figure("Image lifecycle from build to run across two hosts", direction="LR"):
    with group("build host (CI runner)"):
        src = Git("source +\nDockerfile")
        builder = GithubActions("BuildKit build")
        image = Document("image +\nSBOM, signature")
    registry = Harbor("registry")
    with group("run host"):
        node = Client("docker run\nor kubelet")
        runtime = Containerd("runtime")
        container = Action("container")

    src >> flow("build") >> builder
    builder >> flow("export") >> image
    image >> flow("push by tag", accent=True) >> registry
    registry >> flow("pull by digest", accent=True) >> runtime
    node >> flow("start") >> runtime
    runtime >> flow("unpack + run") >> container
