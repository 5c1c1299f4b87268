"""How a node's capacity is divided.

Reservations for the Kubernetes daemons and the operating system, and the hard eviction
threshold, come off the top; what is left is allocatable. The scheduler fits Pod requests into
allocatable, and the kubelet evicts Pods when free memory falls to the threshold.
"""

from diagrams import Edge
from diagrams.k8s.controlplane import Kubelet, Sched

from house_style import box, failure, figure, group, main_path

with figure("Node capacity, reservations and allocatable", direction="TB"):
    with group("node capacity: 4 CPU, 16 GiB memory", direction="TB"):
        kube = box("kube-reserved: 250m, 1 GiB\n(kubelet, container runtime)")
        system = box("system-reserved: 250m, 500 MiB\n(sshd, journald, the kernel)")
        threshold = box("hard eviction threshold:\nmemory.available 200 MiB")
        allocatable = box("allocatable: 3500m, 14660 MiB\n(Pods)")
    sched = Sched("kube-scheduler:\nfits requests here")
    kubelet = Kubelet("kubelet: evicts\nbelow this line")

    # Invisible links only stack the slices in order; they are not a flow.
    kube >> Edge(style="invis") >> system >> Edge(style="invis") >> threshold
    threshold >> Edge(style="invis") >> allocatable
    sched >> main_path() >> allocatable
    kubelet >> failure() >> threshold
