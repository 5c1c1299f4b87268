"""Dynamic provisioning: a PVC names a StorageClass, the CSI driver creates a disk and a PV, the PV binds to the PVC, the controller side attaches the disk to the node, and the node plugin mounts it for the pod.

Three rows, read top to bottom and back up: what the team asks for (pod and claim), what the
cluster has (class and volume), and what the CSI driver does (controller and storage system).
"""

from diagrams.k8s.compute import Pod
from diagrams.k8s.storage import PV, PVC, SC

from house_style import box, control, figure, group, main_path, reference, request, same_row

with figure("Dynamic provisioning of a PersistentVolume through a StorageClass and a CSI driver", direction="TB"):
    with group("node", title_below=True):
        pod = Pod("pod db-0")
        node_plugin = box("CSI node\nplugin")
    with group("namespace shop"):
        claim = PVC("PVC data\n10Gi RWO")
    with group("cluster-scoped"):
        volume = PV("PV\npvc-7f3c")
        sclass = SC("StorageClass\nfast-ssd")
    controller = box("CSI controller")
    backend = box("storage\nsystem")

    pod >> same_row(reference()) >> claim
    claim >> reference("1 names") >> sclass
    sclass >> main_path("2 provision") >> controller
    controller >> same_row(main_path("3 create")) >> backend
    volume << control("4 creates") << controller
    claim << reference("5 bound") << volume
    # The disk reaches the node through the controller side (ControllerPublishVolume, called by the
    # external-attacher); the node plugin does not attach it, it stages and mounts it.
    node_plugin << request("6 disk attached") << backend
    pod << request("7 mount") << node_plugin
