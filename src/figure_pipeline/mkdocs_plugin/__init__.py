"""Thin MkDocs glue for the figure pipeline (the only part of the package that imports MkDocs)."""
