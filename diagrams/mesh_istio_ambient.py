"""Istio ambient mode: a ztunnel per node carries L4 mTLS over HBONE; an optional waypoint adds L7 features."""

from diagrams.k8s.compute import DS
from diagrams.onprem.network import Envoy, Istio

from house_style import box, figure, flow, group, same_row

with figure("Istio ambient mode", direction="TB"):
    with group("istio-system"):
        istiod = Istio("istiod")
    with group("waypoint pod (any node)"):
        waypoint = Envoy("waypoint\n(Envoy, L7)")
    with group("node 1", title_below=True):
        client = box("frontend")
        zt1 = DS("ztunnel\n(Rust)")
    with group("node 2", title_below=True):
        zt2 = DS("ztunnel\n(Rust)")
        server = box("orders")

    client >> flow() >> zt1
    # Written `waypoint << zt1` so the waypoint is drawn above the ztunnels, as a detour between
    # them; the arrow still points from the ztunnel to the waypoint.
    waypoint << flow("HBONE\n:15008", accent=True) << zt1
    waypoint >> flow("HBONE\n:15008", accent=True) >> zt2
    zt1 >> same_row(flow("direct")) >> zt2
    zt2 >> flow("plain TCP") >> server
    istiod >> flow("xDS (WDS)", dashed=True) >> [zt1, zt2]
    istiod >> same_row(flow(dashed=True)) >> waypoint  # unlabelled: in the narrow gap "xDS" touched the pod border
