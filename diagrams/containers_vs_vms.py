"""Virtual machines and containers side by side: each VM boots its own guest kernel, containers share the host kernel."""

from diagrams.generic.os import LinuxGeneral
from diagrams.generic.virtualization import Qemu
from diagrams.onprem.compute import Server
from diagrams.onprem.container import Containerd
from diagrams.programming.language import Go, Python

from house_style import figure, flow, group

with figure("Virtual machines compared with containers", direction="BT"):
    with group("virtual machines", direction="BT"):
        vm_hw = Server("hardware")
        hypervisor = Qemu("hypervisor:\nvirtual hardware")
        with group("VM 1", direction="BT", title_below=True):
            guest_a = LinuxGeneral("Linux kernel\n(guest)")
            app_a = Python("app A\n+ libs")
        with group("VM 2", direction="BT", title_below=True):
            guest_b = LinuxGeneral("Linux kernel\n(guest)")
            app_b = Go("app B\n+ libs")
        vm_hw >> flow() >> hypervisor
        hypervisor >> flow() >> guest_a
        hypervisor >> flow() >> guest_b
        guest_a >> flow() >> app_a
        guest_b >> flow() >> app_b

    with group("containers", direction="BT"):
        ct_hw = Server("hardware")
        kernel = LinuxGeneral("Linux kernel\n(one, shared)")
        runtime = Containerd("runtime sets up\nnamespaces, cgroups")
        with group("container 1", title_below=True):
            app_c = Python("app A\n+ libs")
        with group("container 2", title_below=True):
            app_d = Go("app B\n+ libs")
        ct_hw >> flow() >> kernel
        kernel >> flow() >> runtime
        runtime >> flow() >> app_c
        runtime >> flow() >> app_d
