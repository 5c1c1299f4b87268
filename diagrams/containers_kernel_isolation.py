"""The kernel features around one container process: namespaces limit what it sees, cgroups how much it uses, and capabilities, seccomp and an LSM what it may do."""

from diagrams.programming.flowchart import Action, Decision, PredefinedProcess, Preparation

from house_style import figure, flow, group

with figure("Kernel isolation around one container process", direction="LR"):
    with group("namespaces: what it can see", direction="TB"):
        ns_pid = Preparation("PID + mount")
        ns_net = Preparation("network + UTS")
        ns_ipc = Preparation("IPC + time")
        ns_user = Preparation("user + cgroup")

    with group("container", title_below=True):
        proc = Action("app process\n(PID 1 inside)")

    with group("cgroups v2: how much", direction="TB"):
        cg_mem = PredefinedProcess("memory.max")
        cg_cpu = PredefinedProcess("cpu.max")
        cg_pids = PredefinedProcess("pids.max")

    with group("security: what it may do", direction="TB"):
        caps = Decision("capabilities")
        seccomp = Decision("seccomp filter")
        lsm = Decision("AppArmor / SELinux")

    for ns in (ns_pid, ns_net, ns_ipc, ns_user):
        ns >> flow(dashed=True) >> proc
    proc >> flow("limited by") >> cg_mem
    proc >> flow() >> cg_cpu
    proc >> flow() >> cg_pids
    proc >> flow("syscalls checked") >> caps
    proc >> flow() >> seccomp
    proc >> flow() >> lsm
