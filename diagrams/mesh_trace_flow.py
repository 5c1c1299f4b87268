"""A trace across three services: proxies send spans to an OpenTelemetry Collector that exports to Jaeger.

Each service is a pod with its sidecar proxy. The proxies report the spans; the apps only copy
the traceparent header from the request they received onto the call they make.
"""

from diagrams.onprem.client import User
from diagrams.onprem.network import Envoy
from diagrams.onprem.tracing import Jaeger

from house_style import box, control, figure, group, loop_back, main_path, request, same_row

with figure("One trace across three services", direction="TB"):
    user = User("user")
    pods = []
    for name in ("frontend", "orders", "payments"):
        with group(f"{name} pod", title_below=True):
            proxy = Envoy("proxy")
            app = box(name)
        proxy >> same_row(main_path()) >> app
        pods.append((proxy, app))
    with group("observability"):
        collector = box("OTel Collector")
        jaeger = Jaeger("Jaeger")

    user >> request("new trace") >> pods[0][0]
    pods[0][1] >> main_path("traceparent") >> pods[1][0]
    pods[1][1] >> main_path("traceparent") >> pods[2][0]
    pods[0][0] >> loop_back(control("spans (OTLP)")) >> collector
    for proxy, _ in pods[1:]:
        proxy >> loop_back(control()) >> collector
    collector >> same_row(request("export")) >> jaeger
