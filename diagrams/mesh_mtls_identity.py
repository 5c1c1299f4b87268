"""mTLS between two workloads: proxies get short-lived SPIFFE certificates from the mesh CA and verify each other."""

from diagrams.onprem.network import Envoy, Istio

from house_style import box, figure, flow, group, same_row

with figure("Workload identity and mTLS", direction="TB"):
    # The request runs down the pods and across between them; the CAs sit above.
    with group("pod A, SA frontend", title_below=True):
        app_a = box("frontend")
        proxy_a = Envoy("proxy A")
    with group("pod B, SA orders", title_below=True):
        proxy_b = Envoy("proxy B")
        app_b = box("orders")
    with group("control plane"):
        ca = Istio("mesh CA\n(istiod)")
    root = box("root CA\n(yours)")

    root >> same_row(flow("signs CA cert", dashed=True)) >> ca
    ca >> flow("SVID sa/frontend") >> proxy_a
    ca >> flow("SVID sa/orders") >> proxy_b
    app_a >> flow("plain HTTP") >> proxy_a
    proxy_a >> same_row(flow("mutual TLS", accent=True)) >> proxy_b
    proxy_b >> flow("plain HTTP") >> app_b
