"""What happens between `kubectl apply` and a running container, step by step.

Every hand-off goes through the API server, the hub in the middle: components watch it for
the objects they act on and write back what they did. Arrows point the way each call goes, so
a watch is an arrow from the watcher to the API server.
"""

from diagrams.k8s.controlplane import API, CM, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.onprem.client import User
from diagrams.onprem.container import Containerd

from house_style import box, control, figure, group, main_path, request, same_row

with figure("From kubectl apply to a running container", direction="TB"):
    user = User("kubectl")
    with group("control plane"):
        cm = CM("controllers")
        sched = Sched("scheduler")
        api = API("API server")
        etcd = ETCD("etcd")
    with group("worker node", title_below=True):
        kubelet = Kubelet("kubelet")
        runtime = Containerd("containerd")
        cni = box("CNI plugin")
        app = box("app container")

    user >> request("1 apply") >> api
    api >> same_row(request("2 store")) >> etcd
    cm >> control("3 watch,\n4 create") >> api
    sched >> control("5 watch,\nbind") >> api
    # Written `api << kubelet` so the node is drawn below the API server; the arrow is kubelet -> API.
    api << control("6 watch,\n10 status") << kubelet
    kubelet >> same_row(main_path("7 CRI")) >> runtime
    runtime >> request("8 CNI ADD") >> cni
    runtime >> main_path("9 start") >> app
