"""`make audit` (`python -m tools.audit`): Lighthouse on our site beside stock Material, paired.

Modules: `cli` (arguments, the run), `sites` (the builds: ours, stock Material and our site with
one feature off), `variants` (those features), `lighthouse` (one Chromium driven through
Lighthouse's Node API, and what a result says), `report` (pairing, medians, tables) and `lcp`
(the LCP element, from a throttled Playwright run).
"""
