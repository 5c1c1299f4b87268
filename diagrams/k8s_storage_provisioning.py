"""Dynamic provisioning: a PVC names a StorageClass, the CSI driver creates a disk and a PV, the PV binds to the PVC, and the node plugin mounts it for the pod."""

from diagrams.generic.storage import Storage
from diagrams.k8s.compute import Pod
from diagrams.k8s.storage import PV, PVC, SC

from house_style import box, figure, flow, group, same_row

with figure("Dynamic provisioning of a PersistentVolume through a StorageClass and a CSI driver", direction="TB"):
    with group("cluster-scoped"):
        sclass = SC("StorageClass\nfast-ssd")
        volume = PV("PV\npvc-7f3c...")
    with group("namespace shop"):
        claim = PVC("PVC data\n10Gi RWO")
    with group("node"):
        pod = Pod("pod db-0")
        node_plugin = box("CSI node\nplugin")
    controller = box("CSI\ncontroller\n+ external-\nprovisioner")
    backend = Storage("storage\nsystem")

    # One loop: from the pod (top right) the claim and class run leftwards along the top, the
    # CSI controller and the storage system sit below, and the disk comes back up to the node.
    pod >> same_row(flow("uses claim")) >> claim
    claim >> same_row(flow("1 names class")) >> sclass
    sclass >> flow("2 provision", accent=True) >> controller
    controller >> flow("3 CreateVolume", accent=True) >> backend
    volume << same_row(flow("4 creates")) << controller
    claim << flow("5 bound", dashed=True) << volume
    node_plugin << flow("6 attach + mount") << backend
    pod << flow("7 mounted", dashed=True) << node_plugin
