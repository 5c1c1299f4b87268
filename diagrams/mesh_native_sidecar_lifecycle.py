"""Native sidecar lifecycle: the proxy starts before the app, keeps running, and is stopped after the app has exited."""

from diagrams.k8s.compute import Job
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.network import Envoy

from house_style import box, control, figure, group, loop_back, main_path, request

with figure("Pod lifecycle with a native sidecar proxy", direction="TB"):
    kubelet = Kubelet("kubelet")
    with group("Job pod"):
        init = box("1. proxy-init\n(or CNI)")
        proxy = Envoy("2. proxy (init container,\nrestartPolicy: Always)")
        app = Job("3. app\ncontainer")
    done = box("pod Succeeded")

    kubelet >> request("starts") >> init
    init >> request("exits 0") >> proxy
    proxy >> main_path("ready") >> app
    # Only after the app exits does the kubelet stop the proxy; then the pod has succeeded.
    app >> loop_back(control("4. exits 0: stop proxy")) >> proxy
    proxy >> request("5. proxy exits") >> done
