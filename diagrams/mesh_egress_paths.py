"""Egress from a meshed pod: a registered host goes out (directly or through an egress gateway or waypoint); an unregistered host is refused under REGISTRY_ONLY."""

from diagrams.onprem.network import Envoy

from house_style import box, failure, figure, group, main_path, request

with figure("Three ways out of the mesh", direction="TB"):
    with group("namespace shop"), group("pod"):
        app = box("app")
        proxy = Envoy("sidecar")
    egress = box("egress gateway or waypoint\n(namespace istio-egress)")
    with group("outside the cluster", dashed=True, title_below=True):
        payments = box("api.payments.example.com\n(ServiceEntry)")
        unknown = box("unknown.example.net\n(no ServiceEntry)")

    app >> request("any host") >> proxy
    proxy >> main_path("registered host") >> egress
    egress >> main_path("policy + TLS") >> payments
    proxy >> request("or directly") >> payments
    proxy >> failure("REGISTRY_ONLY:\n502 / reset") >> unknown
