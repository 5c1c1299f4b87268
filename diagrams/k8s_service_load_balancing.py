"""A ClusterIP Service spreading connections across ready Pods on several nodes.

The Service is not a box traffic passes through: its virtual IP exists only as rules that
kube-proxy programs on every node from the Service and its EndpointSlices, which list only ready
Pods. The client's own node rewrites the connection to one ready Pod; the Pod that fails its
readiness probe gets nothing.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import KProxy
from diagrams.k8s.network import SVC, Ep

from house_style import box, control, failure, figure, group, main_path, reference, request, same_row

with figure("Service load balancing across Pods on several nodes", direction="TB"):
    with group("API objects") as objects:
        svc = SVC("Service web\nClusterIP 10.96.0.20")
        slices = Ep("EndpointSlice\n3 ready")
    with group("node 1"):
        client = box("client Pod")
        rules = KProxy("kube-proxy\nrules")
    with group("node 2", title_below=True):
        a = Pod("web-a\n10.244.2.5")
        b = Pod("web-b\n10.244.2.6")
    with group("node 3", title_below=True):
        c = Pod("web-c\n10.244.3.4")
        d = Pod("web-d\nnot ready")

    slices >> same_row(reference("for")) >> svc
    # Written `svc << rules` so the objects are drawn above node 1; the arrow is rules -> objects.
    svc << control("watch", out_of=objects) << rules
    client >> same_row(main_path("to the VIP")) >> rules
    rules >> main_path("DNAT :8080") >> b
    rules >> request() >> a
    rules >> request() >> c
    rules >> failure("not ready") >> d
