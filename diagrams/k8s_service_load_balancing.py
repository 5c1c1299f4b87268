"""A ClusterIP Service spreading connections across ready Pods on several nodes.

The Service's virtual IP is programmed on every node by kube-proxy from the EndpointSlices,
which list only ready Pods; a Pod that fails its readiness probe stops receiving traffic.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import KProxy
from diagrams.k8s.network import SVC, Ep

from house_style import box, figure, flow, group

with figure("Service load balancing across Pods on several nodes", direction="TB"):
    with group("node 1"):
        client = box("client Pod")
        proxy = KProxy("kube-proxy\nrules")
    svc = SVC("Service web\nClusterIP 10.96.0.20:80")
    slices = Ep("EndpointSlice\n3 ready")
    with group("node 2"):
        a = Pod("web-a\n10.244.2.5")
        b = Pod("web-b\n10.244.2.6")
    with group("node 3"):
        c = Pod("web-c\n10.244.3.4")
        d = Pod("web-d\nnot ready")

    client >> flow("web.shop.svc:80", accent=True) >> svc
    proxy >> flow("programs VIP", dashed=True) >> svc
    slices >> flow("endpoints", dashed=True) >> svc
    svc >> flow(":8080", accent=True) >> a
    svc >> flow(":8080", accent=True) >> b
    svc >> flow(":8080", accent=True) >> c
    svc >> flow("excluded", warn=True, dashed=True) >> d
