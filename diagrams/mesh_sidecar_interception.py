"""Inside one meshed pod: iptables rules written at pod start redirect inbound and outbound TCP through the sidecar."""

from diagrams.generic.network import Firewall
from diagrams.k8s.compute import Job, Pod
from diagrams.onprem.client import Client
from diagrams.onprem.network import Envoy

from house_style import figure, flow, group

with figure("Traffic interception inside one pod", direction="LR"):
    caller = Client("caller")
    with group("pod: one network namespace"):
        init = Job("init container\nor CNI plugin")
        rules = Firewall("iptables nat\nrules")
        proxy = Envoy("sidecar proxy\n:15006 in / :15001 out")
        app = Pod("app :8080")
    upstream = Client("upstream\nservice")

    init >> flow("writes rules at start", dashed=True) >> rules
    caller >> flow("1. TCP to :8080") >> rules
    rules >> flow("2. REDIRECT :15006", accent=True) >> proxy
    proxy >> flow("3. localhost:8080") >> app
    app >> flow("4. connect()") >> rules
    rules >> flow("5. REDIRECT :15001", accent=True) >> proxy
    proxy >> flow("6. mTLS out") >> upstream
