"""One manifest per build: pages show the figures their own build rendered.

Another process that renders into the same cache while a build runs (a second checkout's
`figure_pipeline render`, another build) rewrites `manifest.json`. The pages of the running build
must not notice: a strict build that exits 0 never carries an "Unknown figure" box.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from helpers import mkdocs

# A build hook that, after the figures were rendered and before any page is, makes another
# process render a different scripts folder into the same cache, as a concurrent render would.
HOOK = """
import subprocess
import sys
from pathlib import Path

def on_nav(nav, config, files):
    root = Path(config.config_file_path).parent
    subprocess.run(
        [sys.executable, "-m", "figure_pipeline", "render", "--scripts", str(root / "other"),
         "--cache-dir", str(root / ".cache" / "plugin" / "figures")],
        cwd=root, check=True, capture_output=True,
    )
"""

OTHER_SCRIPT = """
from diagrams.k8s.compute import Pod

from house_style import figure

with figure("Another checkout's figure"):
    Pod("elsewhere")
"""


def test_a_render_into_the_shared_cache_during_a_build_does_not_reach_its_pages(fixture_site: Path) -> None:
    other = fixture_site / "other"
    other.mkdir()
    (other / "house_style.py").write_bytes((fixture_site / "diagrams" / "house_style.py").read_bytes())
    (other / "elsewhere.py").write_text(textwrap.dedent(OTHER_SCRIPT), encoding="utf-8")
    (fixture_site / "concurrent_render.py").write_text(HOOK, encoding="utf-8")
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - concurrent_render.py\n", encoding="utf-8")

    result = mkdocs("build", "--strict", "--site-dir", str(fixture_site / "out"), cwd=fixture_site)

    assert result.returncode == 0, result.stderr
    manifest = (fixture_site / ".cache" / "plugin" / "figures" / "manifest.json").read_text(encoding="utf-8")
    assert '"elsewhere"' in manifest and '"tiny_flow"' not in manifest, "the hook did not rewrite the manifest"
    for page in ("index.html", "section/page/index.html"):
        html = (fixture_site / "out" / page).read_text(encoding="utf-8")
        assert "Unknown figure" not in html, f"{page} shows a figure of another render"
        assert 'class="nutshell-figure"' in html, f"{page} lost its figure"
