"""Canary release: the caller's proxy splits requests for one Service 90/10 between stable and canary."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.others import CRD
from diagrams.onprem.network import Envoy

from house_style import box, figure, flow, group, same_row

with figure("Weighted canary traffic split", direction="LR"):
    route = CRD("HTTPRoute")
    with group("caller pod"):
        caller = box("frontend")
        proxy = Envoy("proxy")
    with group("behind Service reviews"):
        v1 = Pod("reviews-v1\n(stable)")
        v2 = Pod("reviews-v2\n(canary)")

    mesh = box("mesh control\nplane")
    route >> same_row(flow(dashed=True)) >> mesh
    mesh >> flow("as config", dashed=True) >> proxy
    caller >> flow("GET reviews:9080") >> proxy
    proxy >> flow("90 %", accent=True) >> v1
    proxy >> flow("10 %") >> v2
