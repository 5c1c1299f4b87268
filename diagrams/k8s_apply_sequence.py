"""What happens between `kubectl apply` and a running container, step by step.

Read left to right, one row per machine: each arrow is a hand-off, numbered in order. Apart
from the request itself, every hand-off travels as a watch event through the API server.
"""

from diagrams.generic.network import Subnet
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.onprem.client import User
from diagrams.onprem.container import Containerd

from house_style import figure, flow, group

with figure("From kubectl apply to a running container", direction="TB"):
    user = User("kubectl")
    # Each group is one row (rank=same), so the nine steps wrap onto two rows instead of
    # running off a single very wide line.
    with group("control plane") as control_plane:
        control_plane.dot.graph_attr["rank"] = "same"
        api = API("API server")
        etcd = ETCD("etcd")
        cm = CM("controllers")
        sched = Sched("scheduler")
    with group("worker node") as worker:
        worker.dot.graph_attr["rank"] = "same"
        kubelet = Kubelet("kubelet")
        runtime = Containerd("containerd")
        cni = Subnet("CNI plugin")
        pod = Pod("app\ncontainer")

    user >> flow("1 apply", accent=True) >> api
    api >> flow("2 admit,\nstore") >> etcd
    etcd >> flow("3 Deployment\nevent") >> cm
    cm >> flow("4 new Pod,\nno node") >> sched
    sched >> flow("5 bind\nto node") >> kubelet
    kubelet >> flow("6 CRI", accent=True) >> runtime
    runtime >> flow("7 CNI ADD") >> cni
    runtime >> flow("8 start", accent=True) >> pod
    kubelet >> flow("9 status", dashed=True) >> api
