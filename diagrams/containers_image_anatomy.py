"""Anatomy of a multi-architecture OCI image: a tag points at an index, the index lists one manifest per platform, and each manifest names a config and its layers by digest."""

from diagrams.onprem.client import Client
from diagrams.programming.flowchart import Document, MultipleDocuments, StoredData

from house_style import figure, flow, group

with figure("OCI image index, manifests, config and layers", direction="LR"):
    ref = Client("hello:1.0\n(tag)")
    with group("content-addressed blobs, named by sha256 digest"):
        index = MultipleDocuments("image index\n55a9…")
        man_amd = Document("manifest amd64\n2b0c…")
        man_arm = Document("manifest arm64\n75be…")
        cfg_amd = Document("config amd64\n771b…")
        layer = StoredData("shared layer\ntar+gzip 80ae…")
        cfg_arm = Document("config arm64\naa02…")

    ref >> flow("resolves\nto", accent=True) >> index
    index >> flow() >> man_amd
    index >> flow() >> man_arm
    man_amd >> flow("config") >> cfg_amd
    man_amd >> flow("layers[0]") >> layer
    man_arm >> flow("layers[0]") >> layer
    man_arm >> flow("config") >> cfg_arm
