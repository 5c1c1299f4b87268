"""How Kubernetes reaches a runtime: the kubelet calls the CRI over gRPC; containerd or CRI-O then runs a low-level OCI runtime for each pod."""

from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.container import Containerd, Crio
from diagrams.programming.flowchart import Action, PredefinedProcess

from house_style import figure, flow, group

with figure("Kubernetes CRI stack with containerd or CRI-O", direction="TB"):
    kubelet = Kubelet("kubelet")
    with group("CRI runtime (one per node)", direction="TB") as runtime:
        with group("containerd path"):
            ctrd = Containerd("containerd\nCRI plugin")
            shim = PredefinedProcess("shim\nrunc v2")
            runc = Action("runc")
        with group("CRI-O path"):
            crio = Crio("CRI-O")
            conmon = PredefinedProcess("conmon")
            crun = Action("crun")
    with group("pod sandbox", title_below=True):
        pause = Action("pause")
        app = Action("app container")

    # One CRI connection, to whichever runtime the node runs: it ends on the group border.
    kubelet >> flow("CRI gRPC", accent=True, into=runtime) >> ctrd
    ctrd >> flow() >> shim
    shim >> flow() >> runc
    crio >> flow() >> conmon
    conmon >> flow() >> crun
    runc >> flow("creates") >> pause
    runc >> flow() >> app
    crun >> flow() >> pause
    crun >> flow() >> app
