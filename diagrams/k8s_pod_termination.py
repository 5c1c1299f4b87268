"""How a Pod stops: two paths start at the same moment.

When the API server marks the Pod for deletion, the kubelet on the Pod's node runs preStop, sends
the stop signal and, at the end of the grace period, SIGKILL; at the same time the EndpointSlice
controller marks the endpoint terminating and every proxy stops sending new connections. The two
paths race.
"""

from diagrams.k8s.controlplane import API, Kubelet
from diagrams.k8s.network import Ep

from house_style import box, control, figure, main_path, request

with figure("How a Pod stops", direction="TB"):
    api = API("API server:\ndeletionTimestamp set")
    kubelet = Kubelet("kubelet on\nthe Pod's node")
    prestop = box("1. preStop hook\n(sleep 5 s)")
    term = box("2. stop signal:\ndrain and exit")
    kill = box("3. SIGKILL at\ngrace period end")
    slice_ = Ep("EndpointSlice:\nterminating")
    proxies = box("kube-proxy, gateways:\nno new connections")

    # `a << b` keeps a above b; the arrow is b -> a: the watcher calls the API server.
    api << control("watch") << kubelet
    kubelet >> main_path() >> prestop
    prestop >> main_path() >> term
    term >> main_path("if still running") >> kill
    api >> request() >> slice_
    slice_ << control("watch") << proxies
