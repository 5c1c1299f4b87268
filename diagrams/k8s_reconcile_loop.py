"""The reconcile loop every Kubernetes controller runs.

Desired state lives in the API server; a controller observes it and the actual state,
compares the two, acts to remove the difference, and the new status flows back.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, Kubelet

from house_style import box, figure, flow, group, loop_back, same_row

with figure("The controller reconcile loop", direction="TB"):
    desired = API("API server\nspec:\n3 replicas\nstatus:\n2 ready")
    with group("controller"):
        observe = box("observe")
        compare = box("compare\nwant 3,\nhave 2")
        act = box("act")
    with group("actual state", title_below=True):
        kubelet = Kubelet("kubelet")
        pods = [Pod("pod a"), Pod("pod b"), Pod("pod c\n(new)")]

    desired >> same_row(flow("1 watch", accent=True)) >> observe
    observe >> same_row(flow("2 spec +\nstatus")) >> compare
    compare >> same_row(flow("3 diff")) >> act
    act >> flow("4 create Pod\n(via API)", accent=True) >> kubelet
    kubelet >> flow("runs") >> pods[0]
    kubelet >> flow("runs") >> pods[1]
    kubelet >> flow("starts", accent=True) >> pods[2]
    kubelet >> loop_back(flow("5 status", dashed=True)) >> desired
