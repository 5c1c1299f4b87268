"""The big picture: from a built image to a request served inside a service mesh."""

from diagrams.k8s.controlplane import API, Kubelet
from diagrams.onprem.client import Users
from diagrams.onprem.container import Containerd
from diagrams.onprem.network import Envoy, Istio
from diagrams.onprem.registry import Harbor
from diagrams.onprem.vcs import Git
from diagrams.programming.flowchart import Document

from house_style import box, figure, flow, group, same_row

with figure("The cloud-native stack, from image to mesh", direction="TB"):
    source = Git("source code")
    image = Document("OCI image")
    registry = Harbor("registry")

    with group("Kubernetes cluster"):
        api = API("control\nplane")
        with group("node"):
            kubelet = Kubelet("kubelet")
            runtime = Containerd("container\nruntime")
            with group("pod"):
                proxy = Envoy("sidecar\nproxy")
                app = box("app\ncontainer")
        mesh = Istio("mesh control\nplane")

    users = Users("users")

    # Three rows: building the image, running it on a node, and serving a request in the pod.
    source >> same_row(flow("build")) >> image >> same_row(flow("push")) >> registry
    # `api << kubelet` keeps the control plane left; the arrow is kubelet -> control plane (a watch).
    api << same_row(flow(dashed=True)) << kubelet
    kubelet >> same_row(flow("CRI")) >> runtime
    registry >> flow("pull") >> runtime >> flow("start") >> app
    mesh >> same_row(flow("config, certs", dashed=True)) >> proxy
    users >> flow(accent=True) >> proxy >> same_row(flow("localhost")) >> app
