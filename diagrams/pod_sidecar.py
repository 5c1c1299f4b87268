"""A pod holding an application container and a mesh sidecar proxy."""

from diagrams.onprem.client import Users
from diagrams.onprem.network import Envoy

from house_style import box, figure, group, main_path, request

with figure("Pod with an application container and a mesh sidecar"):
    clients = Users("callers")
    with group("pod (one network namespace)"):
        proxy = Envoy("sidecar proxy")
        app = box("app container")
    clients >> main_path("mTLS :15006") >> proxy
    proxy >> request("plain HTTP, localhost") >> app
