// Validate custom resources against their projects' CRD schemas, rejecting unknown fields.
//
//   node scripts/validate_custom_resources.mjs < documents.json > results.json
//
// Input: a JSON array of {"id": "...", "doc": {...}}. Output: one result per document,
// {"id", "status": "ok" | "invalid" | "no-schema", "problems": [...]}.
//
// The schemas come from the npm packages in PROVIDERS (@kubernetes-models/*, generated from the
// projects' CRDs; pinned in package.json). Their compiled validators check types, enums and
// required fields but let unknown fields through, so each document is validated through a
// Proxy that records which properties the validator looked at: a key on an object whose schema
// names properties, that the validator never read, is an unknown field. Objects the validator
// never looks into (free-form, x-kubernetes-preserve-unknown-fields) are not checked.
//
// To add a project: add its @kubernetes-models package to package.json (npm install
// --save-dev --save-exact) and to PROVIDERS.

const PROVIDERS = ["@kubernetes-models/istio", "@kubernetes-models/gateway-api"];

async function models() {
  const byType = new Map();
  for (const name of PROVIDERS) {
    const pkg = await import(name);
    for (const group of Object.values(pkg)) {
      for (const version of Object.values(group)) {
        for (const value of Object.values(version)) {
          if (typeof value === "function" && value.apiVersion && value.kind && value.prototype.validate) {
            byType.set(`${value.apiVersion} ${value.kind}`, { model: value, provider: name });
          }
        }
      }
    }
  }
  return byType;
}

function recording(value, path, objects) {
  if (value === null || typeof value !== "object") return value;
  const reads = new Set();
  objects.push({ path, value, reads });
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      const result = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return result;
      reads.add(key);
      if (result === null || typeof result !== "object") return result;
      if (!children.has(key)) children.set(key, recording(result, `${path}/${key}`, objects));
      return children.get(key);
    },
  });
}

function validate(entry, doc) {
  const objects = [];
  const instance = new entry.model(doc);
  const problems = [];
  try {
    entry.model.prototype.validate.call(recording(instance, "", objects));
  } catch (error) {
    for (const e of error.errors || [{ instancePath: "", message: String(error.message || error) }]) {
      const detail = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : "";
      problems.push(`${e.instancePath || "(top level)"}: ${e.message || e.keyword}${detail}`);
    }
  }
  for (const { path, value, reads } of objects) {
    if (Array.isArray(value) || reads.size === 0) continue;
    // A CRD whose root is free-form (IstioOperator: x-kubernetes-preserve-unknown-fields) still
    // gets apiVersion, kind and metadata from the generator; its spec is never looked at.
    if (path === "" && !reads.has("spec")) continue;
    for (const key of Object.keys(value)) {
      if (!reads.has(key)) problems.push(`${path || "(top level)"}: unknown field '${key}'`);
    }
  }
  return problems;
}

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));
const byType = await models();
const results = input.map(({ id, doc }) => {
  const entry = byType.get(`${doc.apiVersion} ${doc.kind}`);
  if (!entry) return { id, status: "no-schema", problems: [], providers: PROVIDERS };
  const problems = validate(entry, doc);
  return { id, status: problems.length ? "invalid" : "ok", problems, provider: entry.provider };
});
process.stdout.write(JSON.stringify(results));
