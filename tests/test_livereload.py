"""`mkdocs serve` live-reloads after a page edit and after a figure-script edit.

Guards against mkdocs#4032 (click releases after 8.2.1 silently disabled live reload), and
shows that a broken script keeps the server running with an error box until it is fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.common import ServerDidNotStart, free_port, start_mkdocs_serve, wait_until_serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def served(fixture_site: Path):
    port = free_port()
    proc = start_mkdocs_serve(fixture_site, port, fixture_site / "serve.log", dirty=False)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving(url, proc, fixture_site / "serve.log", timeout=60)
    except ServerDidNotStart as exc:
        pytest.fail(f"mkdocs serve did not start: {exc}")
    yield fixture_site, url
    proc.terminate()
    proc.wait(timeout=20)


def test_page_and_figure_edits_reload_the_browser(served, browser) -> None:
    site, url = served
    tab = browser.new_page()
    tab.goto(url, wait_until="load")
    tab.wait_for_selector("figure.nutshell-figure")

    # 1. A Markdown edit reloads the page.
    page = site / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("A figure on the home page", "Edited wording"))
    tab.wait_for_function("document.body.innerText.includes('Edited wording')", timeout=30000)

    # 2. A figure-script edit re-renders the figure and reloads the page.
    script = site / "diagrams" / "tiny_flow.py"
    script.write_text(script.read_text(encoding="utf-8").replace("asks politely", "asks again"))
    tab.wait_for_function("document.querySelector('.figure-text').textContent.includes('asks again')", timeout=30000)
    assert tab.evaluate("document.querySelector('figure img').complete")
    # A stale image is "complete" too: the picture the page points at must be the new render.
    shown = tab.evaluate("fetch(document.querySelector('figure img').currentSrc).then(r => r.text())")
    assert "asks again" in shown and "asks politely" not in shown, "the page shows the old render of the figure"

    # 3. A broken script shows an error box; the server keeps running and recovers on the fix.
    original = script.read_text(encoding="utf-8")
    script.write_text(original.replace('Pod("quokka service")', "Pod(oops)"))
    tab.wait_for_selector(".figure-error", timeout=30000)
    assert "tiny_flow.py:11" in tab.inner_text(".figure-error")
    script.write_text(original)
    tab.wait_for_selector("figure.nutshell-figure", timeout=30000)
    tab.close()
