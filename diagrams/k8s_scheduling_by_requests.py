"""The scheduler filters out nodes that cannot fit a pod's requests or tolerate their taints, scores the rest, and binds the pod to the best one."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Sched
from diagrams.k8s.infra import Node

from house_style import figure, flow, group

with figure("Scheduling a pod onto a node by its resource requests"):
    pending = Pod("Pending pod\n500m CPU, 512Mi")
    scheduler = Sched("scheduler")
    with group("nodes: free allocatable", direction="TB"):
        node_a = Node("node-a\n250m CPU, 6Gi")
        node_b = Node("node-b\n2 CPU, 4Gi")
        node_c = Node("node-c\n1 CPU, 1Gi")
        node_d = Node("node-d (GPU)\ntaint: NoSchedule")

    # `pending << scheduler` keeps the pod on the left; the arrow is scheduler -> pod: it watches.
    pending << flow("watch", dashed=True) << scheduler
    scheduler >> flow("too little\nCPU", warn=True) >> node_a
    scheduler >> flow("score 78,\nbind", accent=True) >> node_b
    scheduler >> flow("score 41") >> node_c
    scheduler >> flow("taint", warn=True) >> node_d
