"""The container runtime stack: a client asks a daemon, which drives an OCI runtime via a shim."""

from diagrams.onprem.client import Client
from diagrams.onprem.container import Containerd, Docker
from diagrams.programming.flowchart import Action, PredefinedProcess

from house_style import figure, flow, group, same_row

with figure("Container runtime stack from client to OCI runtime", direction="TB"):
    cli = Client("docker CLI")
    with group("host"):
        daemon = Docker("dockerd")
        containerd = Containerd("containerd")
        shim = PredefinedProcess("shim\n(runc v2)")
        runc = Action("runc")
        with group("container", title_below=True):
            process = Action("app\nprocess")

    # The client and the daemons on top, the per-container shim and runc below them.
    cli >> same_row(flow("Engine API")) >> daemon
    daemon >> same_row(flow("gRPC")) >> containerd
    containerd >> flow("start shim") >> shim
    shim >> same_row(flow("create /\nstart")) >> runc
    runc >> flow("clone, exec", accent=True) >> process
    shim >> flow("keeps stdio", dashed=True) >> process
