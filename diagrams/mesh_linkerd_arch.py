"""Linkerd architecture: destination, identity and proxy-injector, plus a Rust micro-proxy in every pod."""

from diagrams.k8s.compute import Deploy, Pod
from diagrams.onprem.network import Linkerd

from house_style import figure, flow, group

with figure("Linkerd architecture", direction="LR"):
    with group("linkerd namespace (control plane)"):
        injector = Deploy("proxy-injector\n(webhook)")
        identity = Deploy("identity (CA)")
        destination = Deploy("destination\n(discovery, policy)")
    with group("namespace shop (data plane)"):
        with group("web pod"):
            web_proxy = Linkerd("linkerd2-proxy")
            web = Pod("web")
        with group("books pod"):
            books_proxy = Linkerd("linkerd2-proxy")
            books = Pod("books")

    injector >> flow("adds proxy at pod creation", dashed=True) >> web_proxy
    identity >> flow("24h cert for CSR", dashed=True) >> web_proxy
    destination >> flow("endpoints + policy (gRPC)", dashed=True) >> web_proxy
    web_proxy >> flow("localhost") >> web
    web_proxy >> flow("mTLS", accent=True) >> books_proxy
    books_proxy >> flow("localhost") >> books
