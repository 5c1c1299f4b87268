"""Owner references and cascading deletion.

Each dependent names its owner in metadata.ownerReferences (the dotted arrows point at the owner
named). Deleting the Deployment lets the garbage collector delete the ReplicaSet, then its Pod,
because their owners are gone.
"""

from diagrams import Edge
from diagrams.k8s.compute import RS, Deploy, Pod
from diagrams.k8s.controlplane import CM

from house_style import box, control, figure, group, main_path, reference


def owner_of() -> Edge:
    """A reference drawn from the owner's side: the open head sits at the owner's end."""
    edge = reference("ownerReferences")
    edge._attrs["arrowtail"] = edge._attrs.get("arrowhead", "empty")
    return edge


with figure("Owner references and cascading deletion", direction="TB"):
    you = box("kubectl delete deployment web")
    with group("namespace shop", direction="TB", title_below=True):
        deploy = Deploy("Deployment web")
        rs = RS("ReplicaSet web-7c9d6b8f4")
        pod = Pod("Pod web-7c9d6b8f4-kq2lm")
    gc = CM("garbage collector")

    you >> main_path("delete") >> deploy
    # `<<` keeps the owner above its dependent while the arrow points at the owner.
    deploy << owner_of() << rs
    rs << owner_of() << pod
    gc >> control("deletes") >> rs
    gc >> control("deletes") >> pod
