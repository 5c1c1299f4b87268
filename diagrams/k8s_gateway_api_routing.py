"""Gateway API routing: GatewayClass, Gateway, HTTPRoute and the Services behind them.

Each resource belongs to a different role: the infrastructure provider offers a GatewayClass,
the cluster operator runs a Gateway, and application teams attach HTTPRoutes to it.
"""

from diagrams.generic.network import Router
from diagrams.k8s.compute import Pod
from diagrams.k8s.network import SVC
from diagrams.k8s.others import CRD
from diagrams.onprem.client import Users

from house_style import figure, flow, group

with figure("Gateway API routing from GatewayClass to Services", direction="LR"):
    users = Users("clients")
    with group("infrastructure provider"):
        gwclass = CRD("GatewayClass\nexample-gw")
    with group("cluster operator: ns infra"):
        gateway = Router("Gateway\nweb-gateway :80")
    with group("app team: ns shop"):
        route = CRD("HTTPRoute\nshop")
        web = SVC("Service web")
        api_v1 = SVC("Service api-v1")
        api_v2 = SVC("Service api-v2")
        web_pod = Pod("web Pods")
        v1_pod = Pod("api v1 Pods")
        v2_pod = Pod("api v2 Pods")

    gwclass >> flow("gatewayClassName", dashed=True) >> gateway
    users >> flow("shop.example.com", accent=True) >> gateway
    gateway >> flow("attached via\nparentRefs", accent=True) >> route
    route >> flow("/") >> web
    route >> flow("/api 90%", accent=True) >> api_v1
    route >> flow("/api 10%") >> api_v2
    web >> web_pod
    api_v1 >> v1_pod
    api_v2 >> v2_pod
