"""Inside one meshed pod: iptables rules written at pod start redirect inbound and outbound TCP through the sidecar."""

from diagrams.generic.network import Firewall
from diagrams.onprem.client import Client
from diagrams.onprem.network import Envoy

from house_style import box, figure, flow, group, loop_back, same_row

with figure("Traffic interception inside one pod", direction="TB"):
    caller = Client("caller")
    with group("pod: one network namespace"):
        init = box("init container\nor CNI plugin")
        rules = Firewall("iptables nat\nrules")
        proxy = Envoy("sidecar proxy\n:15006 in, :15001 out")
        app = box("app :8080")
    upstream = Client("upstream\nservice")

    init >> same_row(flow("writes rules", dashed=True)) >> rules
    caller >> flow("1. TCP :8080") >> rules
    rules >> flow("2. REDIRECT\n:15006", accent=True) >> proxy
    # Written `app << proxy` (still the proxy -> app connection) so the app sits left of the
    # proxy and the upstream service to its right.
    app << same_row(flow("3.")) << proxy
    app >> loop_back(flow("4. connect()")) >> rules
    rules >> flow("5. REDIRECT\n:15001") >> proxy
    proxy >> flow("6. mTLS out") >> upstream
