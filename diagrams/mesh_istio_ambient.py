"""Istio ambient mode: a ztunnel per node carries L4 mTLS over HBONE; an optional waypoint adds L7 features."""

from diagrams.k8s.compute import DS, Pod
from diagrams.onprem.network import Envoy, Istio

from house_style import figure, flow, group

with figure("Istio ambient mode", direction="LR"):
    with group("istio-system"):
        istiod = Istio("istiod")
    with group("node 1"):
        client = Pod("frontend")
        zt1 = DS("ztunnel (Rust)")
    with group("waypoint pod, namespace shop"):
        waypoint = Envoy("waypoint\n(Envoy, L7)")
    with group("node 2"):
        zt2 = DS("ztunnel (Rust)")
        server = Pod("orders")

    client >> flow("redirected in pod netns") >> zt1
    zt1 >> flow("HBONE :15008", accent=True) >> waypoint
    waypoint >> flow("HBONE :15008", accent=True) >> zt2
    zt1 >> flow("L4 only: HBONE direct", dashed=True) >> zt2
    zt2 >> flow("plain TCP") >> server
    istiod >> flow("xDS (WDS)", dashed=True) >> [zt1, zt2]
    istiod >> flow("xDS", dashed=True) >> waypoint
