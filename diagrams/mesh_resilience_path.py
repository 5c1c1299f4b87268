"""Resilience in the client-side proxy: per-try timeout, retry on another endpoint, and an ejected endpoint."""

from diagrams.k8s.compute import Pod
from diagrams.onprem.network import Envoy

from house_style import box, figure, flow, group

with figure("Timeouts, retries and circuit breaking", direction="LR"):
    with group("caller pod"):
        app = box("frontend")
        proxy = Envoy("proxy: timeout 3s,\n2 retries")
    with group("orders endpoints"):
        slow = Pod("orders-1")
        good = Pod("orders-2")
        bad = Pod("orders-3")

    app >> flow("one request") >> proxy
    proxy >> flow("try 1: 503", warn=True) >> slow
    proxy >> flow("try 2: 200", accent=True) >> good
    proxy >> flow("ejected: skipped", warn=True) >> bad
    proxy >> flow("one response") >> app
