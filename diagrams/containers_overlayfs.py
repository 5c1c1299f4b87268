"""Image layers stacked by overlayfs: read-only lower layers, a per-container upper layer, one merged tree.

The layers are drawn as a stack, top to bottom as overlayfs looks them up: the upper directory
first, then the image layers from the newest to the base.
"""

from house_style import box, figure, group, main_path, request, stacked

with figure("Image layers stacked by overlayfs", direction="TB"):
    proc = box("container process")
    with group("merged mount point: the one tree the process sees") as merged:
        upper = box("upperdir (one per container):\nwrites, copy-ups, whiteouts")
        with group("image layers: read-only lowerdirs, shared", title_below=True) as lowers:
            app = box("layer 3: app files")
            deps = box("layer 2: dependencies")
            base = box("layer 1: base OS")
    stacked(upper, app, deps, base)

    proc >> main_path("reads and writes", into=merged) >> upper
    app >> request("copy-up on write", out_of=lowers) >> upper
