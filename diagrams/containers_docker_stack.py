"""Docker Engine's stack in detail: the CLI calls dockerd, dockerd delegates images and containers to containerd, and one shim per container drives runc."""

from diagrams.onprem.client import Client
from diagrams.onprem.container import Containerd, Docker
from diagrams.programming.flowchart import Action, PredefinedProcess

from house_style import figure, flow, group, same_row

with figure("Docker Engine runtime stack", direction="TB"):
    cli = Client("docker CLI")
    with group("host"):
        dockerd = Docker("dockerd: API, networks,\nvolumes, BuildKit")
        ctrd = Containerd("containerd: images,\nsnapshots, containers")
        shim_b = PredefinedProcess("shim B\nrunc v2")
        shim_a = PredefinedProcess("shim A\nrunc v2")
        runc = Action("runc\n(exits after start)")
        with group("container B", title_below=True):
            app_b = Action("process")
        with group("container A", title_below=True):
            app_a = Action("process")

    cli >> same_row(flow("REST over\ndocker.sock")) >> dockerd
    dockerd >> same_row(flow("gRPC", accent=True)) >> ctrd
    ctrd >> flow(accent=True) >> shim_a
    ctrd >> flow("spawns") >> shim_b
    shim_a >> same_row(flow("start", accent=True)) >> runc
    runc >> flow("clone +\nexec", accent=True) >> app_a
    shim_a >> flow("reaps,\nholds stdio", dashed=True) >> app_a
    shim_b >> flow("reaps,\nholds stdio", dashed=True) >> app_b
