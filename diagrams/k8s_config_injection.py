"""ConfigMap and Secret data reach a container two ways: environment variables fixed at start, or files that the kubelet refreshes."""

from diagrams import Edge
from diagrams.k8s.controlplane import API, Kubelet
from diagrams.k8s.podconfig import CM, Secret
from diagrams.k8s.storage import Vol

from house_style import box, figure, flow, group


def same_column(edge: Edge) -> Edge:
    """Let a connection stay within one column (minlen 0): its ends are stacked, not side by side."""
    edge._attrs["minlen"] = "0"
    return edge


with figure("ConfigMap and Secret consumed as environment variables and as mounted files", direction="TB"):
    with group("control plane"):
        api = API("API server")
        with group("stored in etcd", direction="TB") as stored:
            config = CM("ConfigMap")
            secret = Secret("Secret")
    with group("node"):
        kubelet = Kubelet("kubelet")
        with group("pod", direction="TB"):
            env = box("env vars\n(set at start)")
            files = Vol("files\n/etc/app")
            app = box("app\ncontainer")
    # The stored objects sit above the API server, in its column.
    secret >> same_column(flow("read", out_of=stored)) >> api
    # Written `api << kubelet` so the node stays below; the arrow is kubelet -> API server.
    api << flow("watch", dashed=True) << kubelet
    kubelet >> flow("once") >> env
    kubelet >> flow("synced", accent=True) >> files
    env >> flow("environ") >> app
    files >> flow("read") >> app
