"""A trace across three services: proxies send spans to an OpenTelemetry Collector that exports to Jaeger.

Each service is a pod with its sidecar proxy. The proxies report the spans; the apps only copy
the traceparent header from the request they received onto the call they make.
"""

import itertools

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
        # `app << proxy`: the app sits left of its proxy, so calls between proxies run on the right.
        app << same_row(main_path()) << proxy
        pods.append((proxy, app))
    with group("observability"):
        collector = box("OTel Collector")
        jaeger = Jaeger("Jaeger")

    user >> request("new trace") >> pods[0][0]
    # An app's outgoing call leaves through its own proxy (outbound capture), carrying the
    # traceparent the app copied; the proxy then calls the next pod's proxy.
    for (proxy, app), (next_proxy, _) in itertools.pairwise(pods):
        app >> loop_back(main_path("traceparent")) >> proxy
        proxy >> main_path() >> next_proxy
    pods[0][0] >> loop_back(control("spans (OTLP)")) >> collector
    for proxy, _ in pods[1:]:
        proxy >> loop_back(control()) >> collector
    collector >> same_row(request("export")) >> jaeger
