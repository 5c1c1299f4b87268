"""The version selector appears only in builds that mike makes (elsewhere there is no versions.json)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, mkdocs
from site_extensions.version_selector import MIKE_VERSION_VARIABLE, VersionSelectorPlugin


def _app_config(page: Path) -> dict:
    script = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("script", id="__config")
    return json.loads(script.string)


def test_plugin_drops_the_selector_outside_mike(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MIKE_VERSION_VARIABLE, raising=False)
    config = SimpleNamespace(extra={"version": {"provider": "mike"}, "social": []})
    VersionSelectorPlugin().on_config(config)
    assert config.extra == {"social": []}


def test_plugin_keeps_the_selector_in_a_mike_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MIKE_VERSION_VARIABLE, "dev")
    config = SimpleNamespace(extra={"version": {"provider": "mike"}})
    VersionSelectorPlugin().on_config(config)
    assert config.extra == {"version": {"provider": "mike"}}


@pytest.mark.slow
def test_plain_build_has_no_selector_and_mike_build_has_one(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MIKE_VERSION_VARIABLE, raising=False)
    result = mkdocs("build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site"), cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    assert _app_config(tmp_path / "site" / "index.html").get("version") is None, "plain build fetches versions.json"
    assert _app_config(built_site / "index.html")["version"]["provider"] == "mike", "mike build lost its selector"
