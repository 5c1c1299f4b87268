"""The big picture: from a built image to a request served inside a service mesh."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, Kubelet
from diagrams.onprem.client import Users
from diagrams.onprem.container import Containerd
from diagrams.onprem.network import Envoy, Istio
from diagrams.onprem.registry import Harbor
from diagrams.onprem.vcs import Git
from diagrams.programming.flowchart import Document

from house_style import figure, flow, group

with figure("The cloud-native stack, from image to mesh", direction="LR"):
    source = Git("source code")
    image = Document("OCI image")
    registry = Harbor("registry")

    with group("Kubernetes cluster"):
        api = API("control plane")
        with group("node"):
            kubelet = Kubelet("kubelet")
            runtime = Containerd("container runtime")
            with group("pod"):
                proxy = Envoy("sidecar proxy")
                app = Pod("app container")
        mesh = Istio("mesh control plane")

    users = Users("users")

    source >> flow("build") >> image >> flow("push") >> registry
    api >> flow("schedule") >> kubelet >> flow("CRI") >> runtime
    registry >> flow("pull", accent=True) >> runtime >> flow("start") >> app
    mesh >> flow("config + certificates", dashed=True) >> proxy
    users >> flow("request", accent=True) >> proxy >> flow("localhost") >> app
