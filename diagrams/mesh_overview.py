"""Service mesh overview: every pod gets a proxy, proxies carry all service traffic, a control plane configures them."""

from diagrams.k8s.controlplane import CM
from diagrams.onprem.client import Users
from diagrams.onprem.network import Envoy

from house_style import box, figure, flow, group, same_row

with figure("Service mesh overview", direction="TB"):
    users = Users("clients")
    with group("mesh control plane"):
        control = CM("config,\ndiscovery,\nidentity (CA)")
    with group("data plane", title_below=True):
        with group("frontend pod", title_below=True):
            fe_proxy = Envoy("proxy")
            fe_app = box("frontend")
        with group("orders pod", title_below=True):
            or_proxy = Envoy("proxy")
            or_app = box("orders")
        with group("payments pod", title_below=True):
            pa_proxy = Envoy("proxy")
            pa_app = box("payments")

    users >> flow("HTTPS") >> fe_proxy
    fe_proxy >> flow() >> fe_app
    # The pods stand side by side: mTLS runs along the row of proxies.
    fe_proxy >> same_row(flow("mTLS", accent=True)) >> or_proxy
    or_proxy >> flow() >> or_app
    or_proxy >> same_row(flow(accent=True)) >> pa_proxy
    pa_proxy >> flow() >> pa_app
    control >> flow("config + certs", dashed=True) >> or_proxy
    control >> flow(dashed=True) >> [fe_proxy, pa_proxy]
