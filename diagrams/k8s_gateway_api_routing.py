"""Gateway API routing: GatewayClass, Gateway, HTTPRoute and the Services behind them.

Each resource belongs to a different role: the infrastructure provider offers a GatewayClass,
the cluster operator runs a Gateway, and application teams attach HTTPRoutes to it.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.network import SVC
from diagrams.k8s.others import CRD
from diagrams.onprem.client import Users

from house_style import box, figure, group, main_path, reference, request

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
    route >> request("/") >> web
    route >> request("/api 90%") >> api_v1
    route >> request("/api 10%") >> api_v2
    web >> request() >> web_pod
    api_v1 >> request() >> v1_pod
    api_v2 >> request() >> v2_pod
