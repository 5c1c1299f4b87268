"""Cilium's sidecarless mesh: eBPF handles L3/L4 in the kernel and hands L7 traffic to one Envoy per node."""

from diagrams.onprem.network import Envoy

from house_style import box, figure, flow, group, same_row

with figure("Cilium per-node service mesh", direction="LR"):
    with group("node 1"):
        a = box("frontend")
        ebpf1 = box("eBPF datapath")
        envoy1 = Envoy("cilium-envoy\n(one per node)")
    with group("node 2"):
        ebpf2 = box("eBPF datapath")
        b = box("orders")

    a >> flow() >> ebpf1
    ebpf1 >> same_row(flow("L7 only")) >> envoy1
    envoy1 >> flow("back") >> ebpf1
    ebpf1 >> flow("L3/L4, encrypted", accent=True) >> ebpf2
    ebpf2 >> flow() >> b
