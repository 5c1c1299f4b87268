"""Namespaces scope names, RBAC grants and NetworkPolicy, but pods from every namespace still share nodes and kernels."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.infra import Node
from diagrams.k8s.network import Netpol
from diagrams.k8s.rbac import RB, SA, Role

from house_style import box, figure, flow, group, same_row

with figure("Namespaces with RBAC and NetworkPolicy boundaries on shared nodes", direction="TB"):
    with group("cluster"):
        with group("namespace team-b"):
            batch = box("batch job")
        with group("namespace ingress"):
            gateway = box("gateway")
        with group("namespace team-a"):
            account = SA("service\naccount\ndeployer")
            binding = RB("RoleBinding")
            role = Role("Role\nedit-apps")
            policy = Netpol("Network\nPolicy\ndeny +\nallow")
            api = Pod("api pods")
        node = Node("shared\nnodes")

    account >> same_row(flow("subject")) >> binding
    binding >> same_row(flow("grants")) >> role
    role >> flow("only in team-a", dashed=True) >> api
    gateway >> flow("allow :8080", accent=True) >> policy
    batch >> flow("denied", warn=True) >> policy
    policy >> flow("admits") >> api
    api >> same_row(flow("runs on", dashed=True)) >> node
    batch >> flow("runs on", dashed=True) >> node
