"""Control plane versus data plane: the control plane watches Kubernetes and streams xDS to every proxy."""

from diagrams.k8s.controlplane import API
from diagrams.k8s.others import CRD
from diagrams.onprem.network import Envoy, Istio

from house_style import box, figure, flow, group, loop_back, same_row

with figure("Control plane streaming xDS to the data plane", direction="TB"):
    # Kubernetes feeds the control plane beside it; the proxies of the data plane sit below.
    with group("Kubernetes"):
        api = API("API server")
        crds = CRD("mesh\nCRDs")
    with group("control plane"):
        istiod = Istio("istiod")
    with group("data plane", title_below=True) as data_plane:
        p1 = Envoy("proxy A")
        p2 = Envoy("proxy B")
        p3 = box("gateway")

    crds >> flow("stored in") >> api
    # `api << istiod` keeps the API server left; the arrow is istiod -> API server (a watch).
    api << same_row(flow("watch", dashed=True)) << istiod
    istiod >> flow("xDS stream") >> p1
    istiod >> flow() >> [p2, p3]  # one label for the three streams: side by side they ran together
    p3 >> loop_back(flow("ACK / NACK", dashed=True, out_of=data_plane)) >> istiod
