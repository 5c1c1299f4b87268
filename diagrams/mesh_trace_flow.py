"""A trace across three services: proxies send spans to an OpenTelemetry Collector that exports to Jaeger."""

from diagrams.k8s.compute import Deploy, Pod
from diagrams.onprem.client import User
from diagrams.onprem.tracing import Jaeger

from house_style import figure, flow, group, same_row

with figure("One trace across three services", direction="TB"):
    user = User("user")
    with group("meshed services (app + proxy)"):
        frontend = Pod("frontend")
        orders = Pod("orders")
        payments = Pod("payments")
    with group("observability"):
        collector = Deploy("OTel\nCollector")
        jaeger = Jaeger("Jaeger")

    user >> flow("new trace") >> frontend
    frontend >> same_row(flow("app copies\ntraceparent", accent=True)) >> orders
    orders >> same_row(flow("app copies\ntraceparent", accent=True)) >> payments
    [frontend, orders, payments] >> flow("spans\n(OTLP)", dashed=True) >> collector
    collector >> same_row(flow("export")) >> jaeger
