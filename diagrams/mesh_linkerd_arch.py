"""Linkerd architecture: destination, identity and proxy-injector, plus a Rust micro-proxy in every pod."""

from diagrams.onprem.network import Linkerd

from house_style import box, figure, flow, group, same_row

with figure("Linkerd architecture", direction="TB"):
    # The control plane on top, the data plane below.
    with group("linkerd namespace (control plane)"):
        identity = box("identity\n(CA)")
        injector = box("proxy-injector\n(webhook)")
        destination = box("destination\n(discovery, policy)")
    with group("namespace shop (data plane)", title_below=True) as shop:
        with group("books pod"):
            books_proxy = Linkerd("linkerd2-\nproxy")
            books = box("books")
        with group("web pod"):
            web_proxy = Linkerd("linkerd2-\nproxy")
            web = box("web")

    # Each reaches every pod of the namespace, so the arrows end on its border.
    identity >> flow("24h certificate", dashed=True, into=shop) >> web_proxy
    injector >> flow("injects proxy", dashed=True, into=shop) >> web_proxy
    destination >> flow("endpoints, policy", dashed=True, into=shop) >> web_proxy
    # Written `web << web_proxy` (still the proxy -> web connection) so the web app sits left of
    # its proxy and the two proxies are side by side.
    web << same_row(flow("localhost")) << web_proxy
    web_proxy >> same_row(flow("mTLS", accent=True)) >> books_proxy
    books_proxy >> same_row(flow("localhost")) >> books
