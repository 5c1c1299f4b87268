"""Field managers of one Deployment under server-side apply.

kubectl applied the Pod template and the selector, so it owns them; the HPA controller changed
spec.replicas through the scale subresource, so it owns that field. Applying a different
replicas value again is refused as a conflict instead of silently undoing the autoscaler.
"""

from diagrams.k8s.clusterconfig import HPA

from house_style import box, failure, figure, group, main_path, request

with figure("Field managers of one Deployment"):
    you = box("kubectl apply\n--server-side")
    hpa = HPA("HPA controller")
    with group("Deployment web: managedFields", direction="TB"):
        template = box("spec.template, spec.selector\nmanager: kubectl")
        replicas = box("spec.replicas\nmanager: kube-controller-manager")

    you >> request("Apply") >> template
    hpa >> main_path("Update via /scale") >> replicas
    you >> failure("replicas: 4 = conflict") >> replicas
