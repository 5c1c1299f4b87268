"""Linkerd architecture: destination, identity and proxy-injector, plus a Rust micro-proxy in every pod."""

from diagrams.onprem.network import Linkerd

from house_style import box, figure, flow, group, same_row

with figure("Linkerd architecture", direction="TB"):
    # The control plane on top; its three connections all reach the web pod's proxy below.
    with group("linkerd namespace (control plane)"):
        identity = box("identity\n(CA)")
        injector = box("proxy-injector\n(webhook)")
        destination = box("destination\n(discovery,\npolicy)")
    with group("namespace shop (data plane)", title_below=True):
        with group("books pod"):
            books_proxy = Linkerd("linkerd2-\nproxy")
            books = box("books")
        with group("web pod"):
            web_proxy = Linkerd("linkerd2-\nproxy")
            web = box("web")

    identity >> flow("24h cert\nfor CSR", dashed=True) >> web_proxy
    injector >> flow("adds proxy at\npod creation", dashed=True) >> web_proxy
    destination >> flow("endpoints +\npolicy (gRPC)", dashed=True) >> web_proxy
    # Written `web << web_proxy` (still the proxy -> web connection) so the web app sits left of
    # its proxy and the two proxies are side by side.
    web << same_row(flow("localhost")) << web_proxy
    web_proxy >> same_row(flow("mTLS", accent=True)) >> books_proxy
    books_proxy >> same_row(flow("localhost")) >> books
