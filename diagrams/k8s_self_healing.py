"""Two repair loops: the kubelet restarts a container whose liveness probe fails, and controllers replace pods lost with a failed node."""

from diagrams.k8s.compute import RS, Pod
from diagrams.k8s.controlplane import CM, Kubelet, Sched

from house_style import figure, flow, group, same_row

with figure("Self-healing: container restarts on the node and pod replacement across nodes", direction="TB"):
    # The node lifecycle controller notices the missing Lease renewals; the title says so.
    with group("node-2: Lease not renewed", dashed=True):
        web_b = Pod("web-b")
    with group("control plane", title_below=True):
        lifecycle = CM("node lifecycle\ncontroller")
        replicaset = RS("ReplicaSet\ncontroller")
        scheduler = Sched("scheduler")
    with group("node-3", title_below=True):
        web_c = Pod("web-c\n(new)")
    with group("node-1: container-level repair"):
        kubelet = Kubelet("kubelet")
        web_a = Pod("web-a")

    kubelet >> same_row(flow("liveness probe", warn=True)) >> web_a
    kubelet >> same_row(flow("restarts it", dashed=True)) >> web_a
    web_b << flow("evict at 300 s", warn=True) << lifecycle
    lifecycle >> same_row(flow("pod deleted")) >> replicaset
    replicaset >> same_row(flow("new pod")) >> scheduler
    scheduler >> flow("bind", accent=True) >> web_c
