"""How overlayfs stacks image layers: read-only lower directories, one writable upper directory per container, and the merged view the process sees."""

from diagrams.generic.storage import Storage
from diagrams.programming.flowchart import Action, Display

from house_style import figure, flow, group, same_row

with figure("Image layers stacked by overlayfs", direction="TB"):
    # Two rows: the shared image layers on top, the per-container part below.
    with group("image: read-only lowerdirs, shared"):
        base = Storage("layer 1\nbase OS")
        deps = Storage("layer 2\ndependencies")
        app = Storage("layer 3\napp files")
    with group("one per container"):
        upper = Storage("upperdir\nwrites,\nwhiteouts")
        merged = Display("merged\nmount point")
    proc = Action("container\nprocess")

    base >> same_row(flow("overlaid\nby")) >> deps
    deps >> same_row(flow("overlaid\nby")) >> app
    app >> flow("overlaid by") >> upper
    upper >> same_row(flow("union", accent=True)) >> merged
    merged >> same_row(flow("one tree", accent=True)) >> proc
    proc >> same_row(flow("write:\ncopy up", dashed=True)) >> upper
