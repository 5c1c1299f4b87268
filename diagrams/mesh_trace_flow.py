"""A trace across three services: proxies send spans to an OpenTelemetry Collector that exports to Jaeger."""

from diagrams.k8s.compute import Deploy, Pod
from diagrams.onprem.client import User
from diagrams.onprem.tracing import Jaeger

from house_style import figure, flow, group

with figure("One trace across three services", direction="LR"):
    user = User("user")
    with group("meshed services (app + proxy)"):
        frontend = Pod("frontend")
        orders = Pod("orders")
        payments = Pod("payments")
    with group("observability"):
        collector = Deploy("OTel Collector")
        jaeger = Jaeger("Jaeger")

    user >> flow("new trace") >> frontend
    frontend >> flow("app copies\ntraceparent", accent=True) >> orders
    orders >> flow("app copies\ntraceparent", accent=True) >> payments
    [frontend, orders, payments] >> flow("spans (OTLP)", dashed=True) >> collector
    collector >> flow("export") >> jaeger
