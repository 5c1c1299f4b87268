"""How this site is built: Markdown pages and figure scripts become a versioned static site."""

from diagrams.onprem.client import Users
from diagrams.programming.language import Python

from house_style import box, figure, group, main_path, request, same_row

with figure("How the site is built from Markdown pages and figure scripts", direction="TB"):
    scripts = Python("figure\nscripts")
    with group("figure pipeline", direction="TB", title_below=True):
        changed = box("content hash\nin the cache?")
        runner = box("sandbox: script,\nGraphviz")
        checks = box("lint, sanitise")
        cache = box("cache")
    pages = box("Markdown\npages")
    with group("MkDocs and Material", direction="TB", title_below=True):
        extension = box("Markdown\nextension")
        site = box("static site")
    readers = Users("readers")

    scripts >> request("every build") >> changed
    changed >> request("no") >> runner >> same_row(request("raw SVG")) >> checks >> request("SVG + text") >> cache
    changed >> same_row(request("yes")) >> cache
    cache >> request("manifest") >> extension
    pages >> request("figure lines") >> extension
    extension >> main_path("numbered\nfigures") >> site
    site >> same_row(request()) >> readers
