"""The container runtime stack: a client asks a daemon, which drives an OCI runtime via a shim."""

from diagrams.onprem.client import Client
from diagrams.onprem.container import Containerd, Docker
from diagrams.programming.flowchart import Action, PredefinedProcess

from house_style import figure, flow, group

with figure("Container runtime stack from client to OCI runtime", direction="LR"):
    cli = Client("docker CLI")
    with group("host"):
        daemon = Docker("dockerd")
        containerd = Containerd("containerd")
        shim = PredefinedProcess("shim (runc v2)")
        runc = Action("runc")
        with group("container"):
            process = Action("app process")

    cli >> flow("Engine API") >> daemon
    daemon >> flow("gRPC") >> containerd
    containerd >> flow("start shim") >> shim
    shim >> flow("create / start") >> runc
    runc >> flow("clone, exec", accent=True) >> process
    shim >> flow("keeps stdio", dashed=True) >> process
