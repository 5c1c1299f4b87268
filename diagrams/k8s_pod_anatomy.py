"""Anatomy of a Pod: an init container, a native sidecar and an app container.

All containers share one network namespace (one IP, one localhost) and can mount the same
volumes; the init container runs to completion first, the sidecar keeps running beside the app.
"""

from diagrams.k8s.podconfig import CM
from diagrams.k8s.storage import Vol
from diagrams.oci.compute import Container
from diagrams.onprem.client import Users

from house_style import figure, flow, group

with figure("Anatomy of a Pod", direction="TB"):
    clients = Users("clients")
    with group("Pod 10.244.1.7: one network namespace") as pod:
        with group("initContainers, in order"):
            init = Container("container 1\ninit, exits 0")
            sidecar = Container("container 2\nsidecar, stays up")
        with group("containers"):
            app = Container("container 3\napp :8080")
        with group("volumes", title_below=True):
            shared = Vol("emptyDir\nlogs")
            config = CM("ConfigMap")

    clients >> flow(accent=True, into=pod) >> app
    init >> flow("then") >> sidecar
    sidecar >> flow("then") >> app
    app >> flow("writes logs") >> shared
    sidecar >> flow("reads") >> shared
    app >> flow("reads") >> config
