"""Gateway API routing: GatewayClass, Gateway, HTTPRoute and the Services behind them.

Each resource belongs to a different role: the infrastructure provider offers a GatewayClass,
the cluster operator runs a Gateway, and application teams attach HTTPRoutes to it.
"""

from diagrams.generic.network import Router
from diagrams.k8s.compute import Pod
from diagrams.k8s.network import SVC
from diagrams.k8s.others import CRD
from diagrams.onprem.client import Users

from house_style import box, figure, flow, group, same_row

with figure("Gateway API routing from GatewayClass to Services", direction="TB"):
    users = Users("clients")
    with group("cluster operator: ns infra"):
        gateway = Router("Gateway\nweb-gateway\n:80")
    with group("infrastructure provider"):
        gwclass = box("GatewayClass\nexample-gw")
    with group("app team: ns shop"):
        route = CRD("HTTPRoute\nshop")
        web = SVC("Service\nweb")
        api_v1 = SVC("Service\napi-v1")
        api_v2 = SVC("Service\napi-v2")
        web_pod = Pod("Pods\nweb")
        v1_pod = Pod("Pods\napi v1")
        v2_pod = Pod("Pods\napi v2")

    # The clients and the GatewayClass sit in the Gateway's row, on either side of it.
    gwclass >> same_row(flow("gatewayClassName", dashed=True)) >> gateway
    users >> same_row(flow("shop.example.com", accent=True)) >> gateway
    gateway >> flow("attached via\nparentRefs", accent=True) >> route
    route >> flow("/") >> web
    route >> flow("/api 90%", accent=True) >> api_v1
    route >> flow("/api 10%") >> api_v2
    web >> same_row(flow()) >> web_pod
    api_v1 >> same_row(flow()) >> v1_pod
    api_v2 >> same_row(flow()) >> v2_pod
