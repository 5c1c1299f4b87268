"""A pod holding an application container and a mesh sidecar proxy: the one-pod close-up.

`mesh_overview` shows the whole mesh; this figure shows what happens inside one pod: every
connection in and out passes the proxy, which reaches the app on localhost.
"""

from diagrams.onprem.client import Users
from diagrams.onprem.network import Envoy

from house_style import box, figure, group, loop_back, main_path, request

with figure("Pod with an application container and a mesh sidecar"):
    clients = Users("callers")
    with group("pod (one network namespace)"):
        proxy = Envoy("sidecar proxy")
        app = box("app container")
    upstream = box("other services")
    clients >> main_path("mTLS") >> proxy
    proxy >> request("localhost") >> app
    app >> loop_back(request("outbound call")) >> proxy
    proxy >> request("mTLS") >> upstream
