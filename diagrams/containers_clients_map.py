"""Which runtime client talks to which API: docker to dockerd, podman to its own library, nerdctl and ctr to containerd, crictl to any CRI socket."""

from diagrams.onprem.client import Client
from diagrams.onprem.container import Containerd, Crio, Docker
from diagrams.programming.flowchart import Action, PredefinedProcess

from house_style import figure, flow, group, same_row

with figure("Runtime clients and the APIs they call", direction="TB"):
    with group("clients"):
        docker = Client("docker")
        nerdctl = Client("nerdctl")
        ctr = Client("ctr")
        crictl = Client("crictl")
        podman = Client("podman")
    with group("daemons and libraries", title_below=True):
        dockerd = Docker("dockerd")
        ctrd = Containerd("containerd")
        crio = Crio("CRI-O")
        libpod = PredefinedProcess("libpod")
    oci = Action("OCI runtime\n(runc, crun)")

    docker >> flow("Engine API") >> dockerd
    podman >> flow("in-process") >> libpod
    nerdctl >> flow("containerd API") >> ctrd
    ctr >> flow() >> ctrd
    crictl >> flow() >> ctrd
    crictl >> flow("CRI") >> crio
    dockerd >> same_row(flow()) >> ctrd
    ctrd >> flow() >> oci
    crio >> flow() >> oci
    libpod >> flow("via conmon") >> oci
