"""Virtual machines and containers side by side: each VM boots its own guest kernel, containers share the host kernel.

Both sides are layer stacks, drawn as bands on top of each other rather than chains of arrows.
"""

from diagrams.generic.os import LinuxGeneral
from diagrams.generic.virtualization import Qemu
from diagrams.onprem.compute import Server
from diagrams.programming.language import Go, Python

from house_style import figure, group, stacked

with figure("Virtual machines compared with containers", direction="TB"):
    # Within a row Graphviz puts the group declared first on the right: 2 is declared before 1.
    with group("virtual machines", direction="TB", title_below=True):
        with group("VM 2", direction="TB"):
            app_b = Go("app B\n+ libs")
            guest_b = LinuxGeneral("Linux kernel\n(guest)")
        with group("VM 1", direction="TB"):
            app_a = Python("app A\n+ libs")
            guest_a = LinuxGeneral("Linux kernel\n(guest)")
        hypervisor = Qemu("hypervisor:\nvirtual hardware")
        vm_hw = Server("hardware")
    with group("containers", direction="TB", title_below=True):
        with group("container 2"):
            app_d = Go("app B\n+ libs")
        with group("container 1"):
            app_c = Python("app A\n+ libs")
        kernel = LinuxGeneral("Linux kernel\n(one, shared)")
        ct_hw = Server("hardware")
    stacked(app_a, guest_a, hypervisor, vm_hw)
    stacked(app_b, guest_b, hypervisor)
    stacked(app_c, kernel, ct_hw)
    stacked(app_d, kernel)
