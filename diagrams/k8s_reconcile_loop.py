"""The reconcile loop every Kubernetes controller runs.

Desired state lives in the API server; a controller observes it and the actual state,
compares the two, acts to remove the difference, and the new status flows back.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, Kubelet

from house_style import box, figure, flow, group, loop_back

with figure("The controller reconcile loop", direction="TB"):
    desired = API("API server\nspec 3, status 2")
    with group("actual state", title_below=True):
        kubelet = Kubelet("kubelet")
        pods = [Pod("pod a"), Pod("pod b"), Pod("pod c\n(new)")]
    with group("controller", title_below=True):
        observe = box("observe")
        compare = box("compare\nwant 3, have 2")
        act = box("act")

    # The loop closes through the API server: the controller writes the new Pod there, and the
    # kubelet, which watches the API server, starts it and reports its status back.
    desired >> flow("1 watch", accent=True) >> observe
    observe >> flow("2 spec, status") >> compare
    compare >> flow("3 diff") >> act
    act >> loop_back(flow("4 create Pod", accent=True)) >> desired
    desired >> flow("5 new Pod", dashed=True) >> kubelet
    kubelet >> flow("runs") >> pods[0]
    kubelet >> flow("runs") >> pods[1]
    kubelet >> flow("starts") >> pods[2]
    kubelet >> loop_back(flow("6 status", dashed=True)) >> desired
