"""A Deployment in the middle of a rolling update.

The Deployment scales the new ReplicaSet up and the old one down a step at a time, within the
limits set by maxSurge and maxUnavailable, so the Service always has ready Pods to send to.
"""

from diagrams.k8s.compute import RS, Deploy, Pod

from house_style import figure, flow, group

with figure("Deployment rolling update from v1 to v2", direction="LR"):
    deploy = Deploy("Deployment web\nreplicas: 4")
    with group("old ReplicaSet: scaling down"):
        old = RS("web-v1\n4 → 2")
        old_pods = [Pod("pod v1\nready"), Pod("pod v1\nready")]
        gone = Pod("pod v1\nterminating")
    with group("new ReplicaSet: scaling up"):
        new = RS("web-v2\n0 → 3")
        new_pods = [Pod("pod v2\nready"), Pod("pod v2\nready")]
        starting = Pod("pod v2\nstarting")

    deploy >> flow("scale down", dashed=True) >> old
    deploy >> flow("scale up", accent=True) >> new
    for pod in old_pods:
        old >> flow(dashed=True) >> pod
    old >> flow("deleting", dashed=True) >> gone
    for pod in new_pods:
        new >> flow(dashed=True) >> pod
    new >> flow("not ready yet", dashed=True) >> starting
