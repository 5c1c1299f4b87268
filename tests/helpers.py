"""Small helpers for tests that write figure scripts on the fly."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from figure_pipeline.render import RenderOptions

ROOT = Path(__file__).resolve().parent.parent

GOOD_SCRIPT = """
from diagrams.k8s.compute import Pod
from diagrams.onprem.client import User

from house_style import figure, flow, group

with figure("Good figure"):
    user = User("reader")
    with group("pod"):
        a = Pod("web-a")
        b = Pod("web-b")
    user >> flow("reads") >> a
    user >> flow("reads") >> b
"""


def scripts_dir(tmp_path: Path, scripts: dict[str, str]) -> Path:
    """A folder with the real house style and the given figure scripts."""
    folder = tmp_path / "diagrams"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "diagrams" / "house_style.py", folder / "house_style.py")
    for name, source in scripts.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return folder


def options(tmp_path: Path, scripts: dict[str, str], **overrides: object) -> RenderOptions:
    """Render options over a fresh scripts folder and a private cache."""
    folder = scripts_dir(tmp_path, scripts)
    settings: dict[str, object] = {"workers": 2, **overrides}
    return RenderOptions(scripts_dir=folder, cache_dir=tmp_path / "cache", **settings)  # type: ignore[arg-type]
