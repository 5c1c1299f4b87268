"""A pod holding an application container and a mesh sidecar proxy."""

from diagrams.k8s.compute import Pod
from diagrams.onprem.client import Users
from diagrams.onprem.network import Envoy

from house_style import figure, flow, group

with figure("Pod with an application container and a mesh sidecar"):
    clients = Users("callers")
    with group("pod (one network namespace)"):
        proxy = Envoy("sidecar proxy")
        app = Pod("app container")
    clients >> flow("mTLS :15006", accent=True) >> proxy
    proxy >> flow("plain HTTP on localhost") >> app
