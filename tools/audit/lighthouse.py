"""Lighthouse runs through one long-lived Chromium, and the figures `make audit` reads from a result."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import TracebackType

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
RUNNER = HERE / "lighthouse.mjs"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The flags tools.common.CHROMIUM_ARGS gives every test browser, headless.
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"

METRICS = {  # report key -> Lighthouse audit id
    "lcp_ms": "largest-contentful-paint",
    "fcp_ms": "first-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "main_ms": "mainthread-work-breakdown",
}
# mainthread-work-breakdown groups -> report keys
MAIN_THREAD = {
    "styleLayout": "style_layout_ms",
    "scriptEvaluation": "script_ms",
    "other": "other_ms",
    "parseHTML": "parse_ms",
    "paintCompositeRender": "render_ms",
}
# resource-summary types -> report keys (bytes transferred, compressed)
BYTES = {"document": "html_bytes", "stylesheet": "css_bytes", "script": "js_bytes", "image": "image_bytes"}


class LighthouseFailed(RuntimeError):
    """Lighthouse could not audit a page; the message says which and why."""


class Lighthouse:
    """`with Lighthouse(chromium) as lh: lh.run(url, out)`: one Chromium for every run.

    Starting Chrome and Node once instead of per run saves seconds a run, and a full audit is
    hundreds of runs. Each run still starts from an empty cache and empty storage.
    """

    def __init__(self, chromium: str) -> None:
        self.chromium = chromium
        self.proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> Lighthouse:
        if not (NODE_MODULES / "lighthouse").is_dir():
            raise LighthouseFailed("Lighthouse is missing: run `make audit` (it installs it with npm ci)")
        self.proc = subprocess.Popen(
            ["node", str(RUNNER), self.chromium, CHROME_FLAGS, ",".join(CATEGORIES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=HERE,
        )
        return self

    def run(self, url: str, out: Path) -> dict:
        """Audit `url`, keep the full result in `out`, return it."""
        assert self.proc and self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"url": url, "out": str(out)}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise LighthouseFailed(f"Lighthouse exited while auditing {url} (exit status {self.proc.wait()})")
        answer = json.loads(line)
        if not answer["ok"]:
            raise LighthouseFailed(f"Lighthouse failed on {url}: {answer['error']}")
        return json.loads(out.read_text(encoding="utf-8"))

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.proc:
            if self.proc.stdin:
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def summarise(result: dict) -> dict:
    """The scores, timings, main-thread breakdown, bytes and failing audits of one Lighthouse result."""
    audits = result["audits"]
    failing: dict[str, list[str]] = {}
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            scored = audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
            if scored and audit["score"] is not None and audit["score"] < 1 and ref.get("weight", 0) > 0:
                failing.setdefault(category, []).append(f"{ref['id']} ({audit.get('displayValue', audit['score'])})")
    scores = {c: result["categories"][c]["score"] for c in CATEGORIES}
    errors = sorted(
        {
            audits[ref["id"]]["errorMessage"]
            for c in CATEGORIES
            if scores[c] is None
            for ref in result["categories"][c]["auditRefs"]
            if ref.get("weight", 0) > 0 and audits[ref["id"]].get("errorMessage")
        }
    )
    return {
        # Lighthouse gives a category no score when a metric failed (NO_FCP, say): that is
        # reported as an error of this run, not as zero.
        "scores": {c: None if v is None else round(v * 100) for c, v in scores.items()},
        "errors": errors[:3],
        # An audit that errored (the print page's byte weight, once) has no numericValue.
        "bytes": _rounded(audits["total-byte-weight"].get("numericValue")),
        **{key: _rounded(audits[audit_id].get("numericValue")) for key, audit_id in METRICS.items()},
        **_main_thread(audits),
        **_bytes(audits),
        **_before_lcp(audits),
        "cls": _rounded(audits["cumulative-layout-shift"].get("numericValue"), 3),
        "failing": failing,
    }


def _items(audits: dict, audit_id: str) -> list[dict]:
    return (audits.get(audit_id) or {}).get("details", {}).get("items", [])


def _main_thread(audits: dict) -> dict[str, float | None]:
    groups = {item.get("group"): item.get("duration") for item in _items(audits, "mainthread-work-breakdown")}
    return {key: _rounded(groups.get(group, 0.0) if groups else None) for group, key in MAIN_THREAD.items()}


def _bytes(audits: dict) -> dict[str, int | None]:
    sizes = {item.get("resourceType"): item.get("transferSize") for item in _items(audits, "resource-summary")}
    return {key: (int(sizes.get(kind) or 0) if sizes else None) for kind, key in BYTES.items()}


def _before_lcp(audits: dict) -> dict[str, int | None]:
    """The requests that started before the largest paint in the unthrottled page load.

    Lighthouse's simulated LCP replays every one of them on the throttled network, so a large
    download that happens to start first (the search index) moves LCP by a second or more.
    """
    metrics = _items(audits, "metrics")
    observed = metrics[0].get("observedLargestContentfulPaint") if metrics else None
    requests = _items(audits, "network-requests")
    if observed is None or not requests:
        return {"pre_lcp_requests": None, "pre_lcp_bytes": None}
    early = [r for r in requests if r.get("networkRequestTime", 0) < observed and not r["url"].startswith("data:")]
    return {"pre_lcp_requests": len(early), "pre_lcp_bytes": int(sum(r.get("transferSize") or 0 for r in early))}


def _rounded(value: float | None, digits: int = 0) -> float | None:
    if value is None:
        return None
    return round(value, digits) if digits else round(value)
