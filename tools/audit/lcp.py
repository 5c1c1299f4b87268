"""Name each page's Largest Contentful Paint element, under Lighthouse's mobile throttling.

Lighthouse 12.2.3 cannot name the LCP element with the system Chromium, so `make audit` asks the
browser itself: a `PerformanceObserver` in a Playwright page, with the CPU slowed 4x and the
network of Lighthouse's mobile preset (its DevTools-throttling values for "slow 4G"), on a Moto G
Power sized screen.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from ..common import CHROMIUM_ARGS

# Lighthouse 12 constants.throttling.mobileSlow4G (DevTools throttling) and screenEmulationMetrics.mobile.
CPU_SLOWDOWN = 4
NETWORK = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1474.56 * 1024 / 8,
    "uploadThroughput": 675 * 1024 / 8,
}
SCREEN = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True, "has_touch": True}

OBSERVER = """
window.__lcp = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const el = entry.element;
    let name = "(removed)";
    if (el) {
      name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.classList.length ? "." + Array.from(el.classList).join(".") : "");
      if (el.tagName === "IMG") name += " " + (el.getAttribute("src") || "").split("/").pop();
      else name += ' "' + (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40) + '"';
    }
    window.__lcp.push({name: name, time: entry.startTime, size: entry.size});
  }
}).observe({type: "largest-contentful-paint", buffered: true});
"""


@dataclass
class Paint:
    """One page load: the final LCP candidate and when first contentful paint happened."""

    element: str
    lcp_ms: float
    fcp_ms: float


def measure(browser, url: str) -> Paint:  # type: ignore[no-untyped-def]
    """Load `url` once in a fresh, throttled context and read its paint timings."""
    context = browser.new_context(**SCREEN)
    try:
        page = context.new_page()
        page.add_init_script(OBSERVER)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_timeout(1500)  # LCP candidates stop at the first input; none comes
        entries = page.evaluate("window.__lcp")
        fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime")
        last = entries[-1] if entries else {"name": "(none)", "time": float("nan")}
        return Paint(last["name"], round(last["time"]), round(fcp))
    finally:
        context.close()


def name_lcp(urls: dict[str, str], runs: int, chromium: str) -> dict[str, dict]:
    """For each label -> URL: the most frequent LCP element over `runs` loads and the median times."""
    from playwright.sync_api import sync_playwright

    found: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for label, url in urls.items():
                paints = [measure(browser, url) for _ in range(runs)]
                names = [paint.element for paint in paints]
                found[label] = {
                    "element": max(set(names), key=names.count),
                    "lcp_ms": statistics.median(paint.lcp_ms for paint in paints),
                    "fcp_ms": statistics.median(paint.fcp_ms for paint in paints),
                }
        finally:
            browser.close()
    return found
