"""Namespaces scope names, RBAC grants and NetworkPolicy, but pods from every namespace still share nodes and kernels.

The NetworkPolicy is not a hop: it selects the api pods, and the traffic it denies ends in a bar
short of them while the allowed traffic reaches them.
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.infra import Node
from diagrams.k8s.network import Netpol
from diagrams.k8s.rbac import RB, SA, Role

from house_style import box, control, failure, figure, group, main_path, reference, same_row, stacked

with figure("Namespaces with RBAC and NetworkPolicy boundaries on shared nodes", direction="TB"):
    with group("cluster"):
        with group("namespace infra"):
            gateway = box("gateway")
        with group("namespace team-b"):
            batch = box("batch job")
        with group("namespace team-a", title_below=True):
            account = SA("ServiceAccount\ndeployer")
            binding = RB("RoleBinding")
            role = Role("Role\nedit-apps")
            policy = Netpol("NetworkPolicy")
            api = Pod("api pods")
        node = Node("shared nodes")

    # `account << binding` keeps the ServiceAccount left of the binding; the arrow is binding -> account.
    account << same_row(reference("subject")) << binding
    binding >> reference("roleRef") >> role
    stacked(api, binding)  # the RBAC objects in a row of their own, below the pods
    gateway >> main_path("allow :8080") >> api
    batch >> failure("denied") >> api
    policy >> same_row(reference("selects")) >> api
    api >> control("runs on") >> node
    batch >> control("runs on") >> node
