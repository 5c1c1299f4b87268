"""Where a container's writes go: the writable layer dies with the container; volumes, bind mounts and tmpfs are mounted over parts of its tree."""

from house_style import box, figure, group, main_path, request

with figure("The writable layer and the three kinds of mount", direction="TB"):
    with group("container's file tree"):
        root = box("/ (image layers +\nwritable layer)")
        data = box("/var/lib/app")
        conf = box("/etc/app")
        tmp = box("/tmp")
    with group("host"):
        upper = box("upperdir: removed\nwith the container")
        volume = box("named volume\n/var/lib/docker/volumes")
        hostdir = box("host directory\n./config")
        ram = box("host memory\n(never on disk)")

    root >> request("writes") >> upper
    data >> main_path("volume") >> volume
    conf >> request("bind mount") >> hostdir
    tmp >> request("tmpfs") >> ram
