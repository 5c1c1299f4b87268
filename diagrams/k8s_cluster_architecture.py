"""Cluster architecture: the control plane components and two worker nodes.

The API server is the hub: etcd sits behind it, and the scheduler, controller managers,
kubelets and kube-proxies all talk to it rather than to each other. The control plane is drawn
above the worker nodes, whose arrows point up at the API server.
"""

from diagrams.generic.place import Datacenter
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CCM, CM, KProxy, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.onprem.client import User
from diagrams.onprem.container import Containerd

from house_style import figure, flow, group, same_row

with figure("Kubernetes cluster architecture: control plane and worker nodes", direction="TB"):
    user = User("kubectl")
    with group("control plane"):
        ccm = CCM("cloud controller\nmanager")
        cm = CM("controller\nmanager")
        sched = Sched("scheduler")
        etcd = ETCD("etcd")
        api = API("kube-apiserver")
    cloud = Datacenter("cloud\nprovider API")
    workers = []
    for name in ("node 1", "node 2"):
        with group(name, title_below=True):
            kubelet = Kubelet("kubelet")
            proxy = KProxy("kube-proxy")
            runtime = Containerd("runtime")
            pods = [Pod("pods")]
        workers.append((kubelet, proxy, runtime, pods))

    user >> same_row(flow("HTTPS", accent=True)) >> api
    # `a << flow() << b` is still the connection b -> a (arrow at a); it only draws a above b.
    api >> same_row(flow("only writer")) >> etcd
    cm >> flow("watch,\nact") >> api
    sched >> flow("watch,\nbind") >> api
    ccm >> flow("watch,\nact") >> api
    cloud << flow("optional", dashed=True) << ccm
    for kubelet, proxy, runtime, pods in workers:
        api << flow("watch,\nstatus") << kubelet
        api << flow("watch") << proxy
        kubelet >> flow("CRI") >> runtime
        for pod in pods:
            runtime >> same_row(flow()) >> pod
