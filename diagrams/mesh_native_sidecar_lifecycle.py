"""Native sidecar lifecycle: the proxy starts before the app, keeps running, and is stopped after the app has exited."""

from diagrams.k8s.compute import Job
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.network import Envoy

from house_style import box, figure, flow, group, loop_back, same_row

with figure("Pod lifecycle with a native sidecar proxy", direction="TB"):
    kubelet = Kubelet("kubelet")
    with group("Job pod"):
        init = box("1.\nproxy-init\n(or CNI)")
        proxy = Envoy("2. proxy:\ninit container,\nrestartPolicy\nAlways")
        app = Job("3. app\ncontainer")
    done = box("4. pod\nSucceeded")

    kubelet >> same_row(flow("starts in\norder")) >> init
    init >> same_row(flow("exits 0")) >> proxy
    proxy >> same_row(flow("startupProbe\npasses", accent=True)) >> app
    app >> flow("exits 0") >> done
    done >> loop_back(flow("then proxy\nstopped", warn=True, dashed=True)) >> proxy
