"""How this site is built: Markdown pages and figure scripts become a versioned static site."""

from diagrams.generic.storage import Storage
from diagrams.onprem.client import Users
from diagrams.programming.flowchart import Decision, Document, MultipleDocuments
from diagrams.programming.language import Python

from house_style import box, figure, flow, group, same_row

with figure("How the site is built from Markdown pages and figure scripts", direction="TB"):
    scripts = Python("figure\nscripts")
    with group("figure pipeline (no MkDocs inside)"):
        changed = Decision("content hash\nin the cache?")
        runner = box("one process:\nscript, Graphviz,\nSVG clean-up")
        cache = Storage("cache")
    pages = Document("Markdown\npages")
    with group("MkDocs and Material"):
        extension = MultipleDocuments("Markdown\nextension")
        site = Document("static site")
    readers = Users("readers")

    # Three rows: deciding what to render, rendering it, and building the pages around it.
    scripts >> same_row(flow("every build")) >> changed >> same_row(flow("no")) >> runner
    changed >> flow("yes", dashed=True) >> cache
    runner >> flow("light + dark SVG,\ndescription") >> cache
    cache >> flow("manifest") >> extension
    pages >> flow("figure lines") >> extension
    extension >> same_row(flow("numbered\nfigures", accent=True)) >> site
    site >> same_row(flow("one folder\nper version")) >> readers
