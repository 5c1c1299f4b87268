"""How overlayfs stacks image layers: read-only lower directories, one writable upper directory per container, and the merged view the process sees."""

from diagrams.generic.storage import Storage
from diagrams.programming.flowchart import Action, Display

from house_style import figure, flow, group

with figure("Image layers stacked by overlayfs", direction="LR"):
    with group("image: read-only lowerdirs, shared"):
        base = Storage("layer 1\nbase OS")
        deps = Storage("layer 2\ndependencies")
        app = Storage("layer 3\napp files")
    with group("one per container"):
        upper = Storage("upperdir\nwrites, whiteouts")
        merged = Display("merged\nmount point")
    proc = Action("container\nprocess")

    base >> flow("overlaid by") >> deps
    deps >> flow("overlaid by") >> app
    app >> flow("overlaid by") >> upper
    upper >> flow("union", accent=True) >> merged
    merged >> flow("one tree", accent=True) >> proc
    proc >> flow("write: copy up", dashed=True) >> upper
