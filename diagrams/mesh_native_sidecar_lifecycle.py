"""Native sidecar lifecycle: the proxy starts before the app, keeps running, and is stopped after the app has exited."""

from diagrams.k8s.compute import Job, Pod
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.network import Envoy

from house_style import figure, flow, group

with figure("Pod lifecycle with a native sidecar proxy", direction="LR"):
    kubelet = Kubelet("kubelet")
    with group("Job pod"):
        init = Pod("1. proxy-init\n(or CNI)")
        proxy = Envoy("2. proxy: init container,\nrestartPolicy Always")
        app = Job("3. app container")
    done = Pod("4. pod Succeeded")

    kubelet >> flow("starts in order") >> init
    init >> flow("exits 0") >> proxy
    proxy >> flow("startupProbe passes", accent=True) >> app
    app >> flow("exits 0") >> done
    done >> flow("then proxy stopped", warn=True, dashed=True) >> proxy
