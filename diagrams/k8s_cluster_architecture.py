"""Cluster architecture: the control plane components and two worker nodes.

The API server is the hub: etcd sits behind it, and the scheduler, controller managers,
kubelets and kube-proxies all talk to it rather than to each other.
"""

from diagrams.generic.place import Datacenter
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CCM, CM, KProxy, Kubelet, Sched
from diagrams.k8s.infra import ETCD
from diagrams.onprem.client import User
from diagrams.onprem.container import Containerd

from house_style import figure, flow, group

with figure("Kubernetes cluster architecture: control plane and worker nodes", direction="TB"):
    user = User("kubectl")
    cloud = Datacenter("cloud provider API")
    with group("control plane"):
        api = API("kube-apiserver")
        etcd = ETCD("etcd")
        sched = Sched("kube-scheduler")
        cm = CM("kube-controller-\nmanager")
        ccm = CCM("cloud-controller-\nmanager")
    workers = []
    for name in ("node 1", "node 2"):
        with group(name):
            kubelet = Kubelet("kubelet")
            proxy = KProxy("kube-proxy")
            runtime = Containerd("runtime")
            pods = [Pod("pod"), Pod("pod")]
        workers.append((kubelet, proxy, runtime, pods))

    user >> flow("HTTPS", accent=True) >> api
    api >> flow("only writer") >> etcd
    sched >> flow("watch, bind") >> api
    cm >> flow("watch, act") >> api
    ccm >> flow("watch, act") >> api
    ccm >> flow("optional", dashed=True) >> cloud
    for kubelet, proxy, runtime, pods in workers:
        kubelet >> flow("watch, status", accent=True) >> api
        proxy >> flow("watch Services") >> api
        kubelet >> flow("CRI") >> runtime
        for pod in pods:
            runtime >> pod
