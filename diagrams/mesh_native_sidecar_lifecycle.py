"""Native sidecar lifecycle: the proxy starts before the app, keeps running, and is stopped after the app has exited."""

from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.network import Envoy

from house_style import box, control, figure, group, loop_back, main_path, request, same_row, stacked

with figure("Pod lifecycle with a native sidecar proxy", direction="TB"):
    kubelet = Kubelet("kubelet")
    with group("Job pod"):
        init = box("1. proxy-init\n(or CNI)")
        proxy = Envoy("2. proxy (init container,\nrestartPolicy: Always)")
        app = box("3. app\ncontainer")
    done = box("pod Succeeded")

    kubelet >> same_row(request()) >> init
    init >> request("exits 0") >> proxy
    proxy >> main_path("ready") >> app
    # Only after the app exits does the kubelet stop the proxy; then the pod has succeeded.
    # `kubelet << app` keeps the kubelet above the app; the arrow is app -> kubelet.
    kubelet << control("4. app exits") << app
    kubelet >> loop_back(control("5. stops")) >> proxy
    proxy >> request("6. proxy exits") >> done
    stacked(app, done)
