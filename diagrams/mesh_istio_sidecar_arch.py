"""Istio in sidecar mode: istiod configures an ingress gateway and one Envoy sidecar per pod."""

from diagrams.onprem.client import Users
from diagrams.onprem.network import Envoy, Istio

from house_style import box, figure, flow, group, same_row

with figure("Istio sidecar mode architecture", direction="TB"):
    users = Users("clients")
    with group("istio-system"):
        istiod = Istio("istiod: xDS,\nCA, injector")
    with group("istio-ingress", title_below=True):
        gateway = box("ingress\ngateway")
    with group("namespace shop", title_below=True):
        with group("web pod", title_below=True):
            web_proxy = Envoy("sidecar")
            web = box("web")
        with group("cart pod", title_below=True):
            cart_proxy = Envoy("sidecar")
            cart = box("cart")

    users >> flow("HTTPS") >> gateway
    # The gateway and the sidecars form one row: mTLS runs along it, each app sits below its sidecar.
    gateway >> same_row(flow(accent=True)) >> web_proxy
    web_proxy >> flow() >> web
    web_proxy >> same_row(flow("mTLS", accent=True)) >> cart_proxy
    cart_proxy >> flow() >> cart
    istiod >> flow("xDS + certs", dashed=True) >> gateway
    istiod >> flow(dashed=True) >> [web_proxy, cart_proxy]
