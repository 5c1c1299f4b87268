"""The identity shift behind a waypoint: the waypoint sees the client's identity, while the destination ztunnel sees only the waypoint's."""

from diagrams.k8s.compute import DS
from diagrams.onprem.network import Envoy

from house_style import box, figure, group, main_path, request

with figure("Who sees which identity when a waypoint is in the path", direction="TB"):
    with group("node 1"):
        client = box("frontend pod\nsa/frontend")
        zt1 = DS("ztunnel")
    waypoint = Envoy("waypoint (shop):\nL7 policy sees sa/frontend")
    with group("node 2: L4 policy sees sa/waypoint", title_below=True):
        zt2 = DS("ztunnel")
        server = box("orders pod")

    client >> request("plain\nTCP") >> zt1
    zt1 >> main_path("HBONE as\nsa/frontend") >> waypoint
    waypoint >> main_path("HBONE as\nsa/waypoint") >> zt2
    zt2 >> request("delivered") >> server
