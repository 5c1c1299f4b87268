"""Two repair loops: the kubelet restarts a container whose liveness probe fails, and controllers replace pods lost with a failed node."""

from diagrams.k8s.compute import RS, Pod
from diagrams.k8s.controlplane import CM, Kubelet, Sched
from diagrams.k8s.infra import Node

from house_style import figure, flow, group

with figure("Self-healing: container restarts on the node and pod replacement across nodes"):
    with group("node-1: container-level repair"):
        kubelet = Kubelet("kubelet")
        web_a = Pod("web-a")
    with group("node-2: stops heartbeating", dashed=True):
        lost_node = Node("node-2")
        web_b = Pod("web-b")
    with group("control plane"):
        lifecycle = CM("node\nlifecycle\ncontroller")
        replicaset = RS("ReplicaSet\ncontroller")
        scheduler = Sched("scheduler")
    with group("node-3"):
        web_c = Pod("web-c\n(new)")

    kubelet >> flow("liveness fails 3x:\nrestart container", warn=True) >> web_a
    lost_node >> flow("no Lease renewals", warn=True, dashed=True) >> lifecycle
    lifecycle >> flow("taint, then\nevict at 300 s", warn=True) >> web_b
    lifecycle >> flow("pod deleted") >> replicaset
    replicaset >> flow("new pod") >> scheduler
    scheduler >> flow("bind", accent=True) >> web_c
