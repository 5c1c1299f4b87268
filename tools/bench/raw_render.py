"""Render figure scripts with `diagrams` itself, as PNG and as raw SVG (no pipeline).

Usage: python raw_render.py SCRIPTS_DIR OUT_DIR NAME...

Runs in one process; each script's `Diagram` is made to write `<name>.png` and `<name>.svg`
into OUT_DIR (the current directory), exactly what `outformat=["png", "svg"]` gives.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    scripts, out, names = Path(argv[0]).resolve(), Path(argv[1]).resolve(), argv[2:]
    sys.path.insert(0, str(scripts))
    import diagrams

    original = diagrams.Diagram.__init__
    current = {"name": ""}

    def patched(self: Any, name: str = "", filename: str = "", *args: Any, **kwargs: Any) -> None:
        kwargs["outformat"] = ["png", "svg"]
        kwargs["show"] = False
        original(self, name, current["name"], *args, **kwargs)

    diagrams.Diagram.__init__ = patched
    os.chdir(out)
    failed = 0
    for name in names:
        current["name"] = name
        try:
            runpy.run_path(str(scripts / f"{name}.py"), run_name="__main__")
        except Exception as exc:
            print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
