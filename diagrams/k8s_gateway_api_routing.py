"""Gateway API routing: GatewayClass, Gateway, HTTPRoute and the Services behind them.

Each resource belongs to a different role: the infrastructure provider offers a GatewayClass,
the cluster operator runs a Gateway, and application teams attach HTTPRoutes to it. The
HTTPRoute is configuration the Gateway reads, not a hop traffic passes: its backendRefs (with
their weights), like each Service's selector, are drawn as references.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.network import SVC
from diagrams.k8s.others import CRD
from diagrams.onprem.client import Users

from house_style import box, figure, group, main_path, reference

with figure("Gateway API routing from GatewayClass to Services", direction="TB"):
    users = Users("clients")
    with group("cluster operator: ns infra") as infra:
        gateway = box("Gateway\nweb-gateway :80")
    with group("infrastructure provider", title_below=True):
        gwclass = box("GatewayClass\nexample-gw")
    with group("app team: ns shop", title_below=True):
        route = CRD("HTTPRoute\nshop")
        web = SVC("Service\nweb")
        api_v1 = SVC("Service\napi-v1")
        api_v2 = SVC("Service\napi-v2")
        web_pod = Pod("Pods\nweb")
        v1_pod = Pod("Pods\napi v1")
        v2_pod = Pod("Pods\napi v2")

    # References point at the object they name: the route at its Gateway, the Gateway at its class.
    users >> main_path("shop.example.com", into=infra) >> gateway
    gateway >> reference("gatewayClassName") >> gwclass
    gateway << reference("parentRefs") << route
    route >> reference("/") >> web
    route >> reference("/api 90%") >> api_v1
    route >> reference("/api 10%") >> api_v2
    web >> reference() >> web_pod
    api_v1 >> reference() >> v1_pod
    api_v2 >> reference() >> v2_pod
