"""A trace across three services: proxies send spans to an OpenTelemetry Collector that exports to Jaeger."""

from diagrams import Edge
from diagrams.k8s.compute import Deploy, Pod
from diagrams.onprem.client import User
from diagrams.onprem.tracing import Jaeger

from house_style import figure, flow, group


def same_row(edge: Edge) -> Edge:
    """Let a connection stay within one row (minlen 0) instead of adding a row to the figure."""
    edge._attrs["minlen"] = "0"
    return edge


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
