"""ConfigMap and Secret data reach a container two ways: environment variables fixed at start, or files that the kubelet refreshes."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, Kubelet
from diagrams.k8s.podconfig import CM, Secret
from diagrams.k8s.storage import Vol

from house_style import figure, flow, group

with figure("ConfigMap and Secret consumed as environment variables and as mounted files"):
    with group("control plane"):
        api = API("API server")
        with group("stored in etcd", direction="TB"):
            config = CM("ConfigMap")
            secret = Secret("Secret")
    with group("node"):
        kubelet = Kubelet("kubelet")
        with group("pod", direction="TB"):
            env = CM("env vars\n(set at start)")
            files = Vol("mounted files\n/etc/app")
            app = Pod("app\ncontainer")
    config >> flow() >> api
    secret >> flow() >> api
    api >> flow("watch") >> kubelet
    kubelet >> flow("copied once") >> env
    kubelet >> flow("synced on change", accent=True) >> files
    env >> flow("environ") >> app
    files >> flow("read") >> app
