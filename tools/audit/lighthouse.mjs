// One Chromium for a whole `make audit`: Lighthouse's Node API, driven line by line from Python
// (tools/audit/lighthouse.py). Each stdin line is {"url", "out"}; each run writes the JSON
// result to `out` and answers one line, {"ok": true} or {"ok": false, "error"}. Lighthouse resets
// the origin's storage and the browser cache before every run, as the CLI does with a fresh Chrome.
import fs from "node:fs";
import readline from "node:readline";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [chromePath, flags, categories] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: flags.split(" ") });
const lines = readline.createInterface({ input: process.stdin });

try {
  for await (const line of lines) {
    if (!line.trim()) continue;
    const job = JSON.parse(line);
    try {
      const result = await lighthouse(job.url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: categories.split(","),
      });
      fs.writeFileSync(job.out, result.report);
      process.stdout.write(JSON.stringify({ ok: true }) + "\n");
    } catch (error) {
      process.stdout.write(JSON.stringify({ ok: false, error: String(error && error.message) }) + "\n");
    }
  }
} finally {
  await chrome.kill();
}
