"""Docker Engine's stack in detail: the CLI calls dockerd, dockerd delegates images and containers to containerd, and one shim per container drives runc."""

from diagrams.onprem.client import Client
from diagrams.onprem.container import Containerd, Docker
from diagrams.programming.flowchart import Action, PredefinedProcess

from house_style import figure, flow, group

with figure("Docker Engine runtime stack", direction="LR"):
    cli = Client("docker CLI")
    with group("host"):
        dockerd = Docker("dockerd\nAPI, networks,\nvolumes, BuildKit")
        ctrd = Containerd("containerd\nimages, snapshots,\ncontainers")
        shim_a = PredefinedProcess("shim A\nrunc v2")
        shim_b = PredefinedProcess("shim B\nrunc v2")
        runc = Action("runc\nexits after start")
        with group("container A"):
            app_a = Action("process")
        with group("container B"):
            app_b = Action("process")

    cli >> flow("REST over\ndocker.sock") >> dockerd
    dockerd >> flow("gRPC", accent=True) >> ctrd
    ctrd >> flow("spawns") >> shim_a
    ctrd >> flow("spawns") >> shim_b
    shim_a >> flow("create,\nstart", accent=True) >> runc
    runc >> flow("clone +\nexec", accent=True) >> app_a
    shim_a >> flow("reaps, holds stdio", dashed=True) >> app_a
    shim_b >> flow("reaps, holds stdio", dashed=True) >> app_b
