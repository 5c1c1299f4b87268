"""Docker's default bridge network: each container's network namespace is joined to a host bridge by a veth pair, and a published port is a NAT rule on the host."""

from diagrams.onprem.client import Users

from house_style import box, figure, group, main_path, request

with figure("A container's network namespace, the bridge and a published port", direction="TB"):
    client = Users("client on the LAN")
    with group("host (root network namespace)", direction="TB", title_below=True):
        nic = box("eth0\n192.0.2.10")
        nat = box("NAT rule\n:8080 → 172.17.0.2:80")
        bridge = box("bridge docker0\n172.17.0.1")
        with group("container web (own netns)", title_below=True):
            web = box("eth0 (veth)\n172.17.0.2:80")
        with group("container db (own netns)", title_below=True):
            db = box("eth0 (veth)\n172.17.0.3")

    client >> main_path("TCP :8080") >> nic
    nic >> main_path("DNAT") >> nat
    nat >> main_path("forward") >> bridge
    bridge >> main_path("veth pair") >> web
    bridge >> request("veth pair") >> db
