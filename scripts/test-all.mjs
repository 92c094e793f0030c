// npm test — every check a change must pass, from a fresh clone: typecheck, lint, unit,
// integration (real Postgres, the sandbox), and e2e (Playwright + Debian's Chromium against
// the production build). Stops at the first failing step; ends with one summary line.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { bootstrap, root, run } from "./lib/bootstrap.mjs";
import { ensureSystemPackages } from "./lib/system-packages.mjs";

bootstrap();
ensureSystemPackages();

const reports = path.join(root, ".data", "test-reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

const steps = [
  { name: "typecheck", cmd: "tsc", args: ["--noEmit"] },
  { name: "lint", cmd: "eslint", args: ["."] },
  { name: "unit", cmd: "vitest", args: ["run", "--project", "unit", ...vitestReport("unit")] },
  // Before integration: the crash test runs the production server and kills it.
  { name: "build", cmd: "next", args: ["build"], env: { NODE_ENV: "production" } },
  { name: "integration", cmd: "vitest", args: ["run", "--project", "integration", ...vitestReport("integration")] },
  // A fresh quick-start data folder each run, so what one run created does not meet the next.
  { name: "e2e", before: () => rmSync(path.join(root, ".data", "e2e"), { recursive: true, force: true }), cmd: "playwright", args: ["test", "--reporter=list,json"], env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reports, "e2e.json") } },
];

const only = process.argv.slice(2);
const started = Date.now();
const timings = [];
for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name)) continue;
  console.log(`\n━━ ${step.name} ━━`);
  const t0 = Date.now();
  step.before?.();
  const status = run(step.cmd, step.args, { env: { ...env, ...step.env } });
  timings.push(`${step.name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  if (status !== 0) {
    summary(`✗ ${step.name} failed`);
    process.exit(status);
  }
}
summary("✓ all checks passed");

function vitestReport(name) {
  return ["--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, `${name}.json`)}`];
}

function summary(headline) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const name of ["unit", "integration"]) {
    const file = path.join(reports, `${name}.json`);
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
  const e2e = path.join(reports, "e2e.json");
  if (existsSync(e2e)) {
    const s = JSON.parse(readFileSync(e2e, "utf8")).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
    skipped += s.skipped;
  }
  console.log(`\n${headline} in ${((Date.now() - started) / 1000).toFixed(0)}s (${timings.join(", ")})`);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}
