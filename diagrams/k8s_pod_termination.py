"""How a Pod stops: two paths start at the same moment.

When the API server marks the Pod for deletion, the kubelet runs preStop, sends the stop signal
and, at the end of the grace period, SIGKILL; at the same time the EndpointSlice controller marks
the endpoint terminating and every proxy stops sending new connections. The two race.
"""

from diagrams.k8s.controlplane import API, Kubelet
from diagrams.k8s.network import Ep

from house_style import box, control, failure, figure, group, main_path, request

with figure("How a Pod stops", direction="TB"):
    api = API("API server:\ndeletionTimestamp")
    with group("node: the Pod's containers", direction="TB"):
        kubelet = Kubelet("kubelet")
        prestop = box("preStop\n(sleep 5 s)")
        term = box("SIGTERM:\ndrain and exit")
        kill = box("SIGKILL at\ngrace period end")
    with group("every node and gateway", direction="TB"):
        slice_ = Ep("EndpointSlice:\nterminating")
        proxies = box("kube-proxy, gateways:\nno new connections")

    api >> main_path("watch") >> kubelet
    kubelet >> main_path() >> prestop
    prestop >> main_path() >> term
    term >> failure("still running") >> kill
    api >> request("Pod terminating") >> slice_
    slice_ >> control("watch") >> proxies
