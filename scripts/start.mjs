// npm start — the whole portal from a fresh clone: installs what is missing, prepares the
// database (DATABASE_URL, or an embedded Postgres under .data/), builds and serves Corral.
//   --dev        next dev instead of a production build
//   --no-build   serve the existing production build
//   --port N     listen on N (default $PORT or 3000)
// Without KUBECONFIG or AWS credentials it also starts the sandbox (sandbox/), unless
// CORRAL_SANDBOX=off.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bootstrap, root, runOrExit } from "./lib/bootstrap.mjs";

bootstrap();

const args = process.argv.slice(2);
const dev = args.includes("--dev");
const build = !dev && (!args.includes("--no-build") || !existsSync(path.join(root, ".next", "BUILD_ID")));
const portIndex = args.indexOf("--port");
const port = portIndex >= 0 ? args[portIndex + 1] : (process.env.PORT ?? "3000");
const dataDir = path.resolve(root, process.env.CORRAL_DATA_DIR ?? ".data");

const stops = [];
let databaseUrl = process.env.DATABASE_URL || undefined;
if (!databaseUrl) {
  const { startEmbeddedPostgres } = await import("./lib/embedded-postgres.mjs");
  const pgPort = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
  console.log(`• Starting the embedded Postgres (data in ${path.relative(root, dataDir) || "."}/postgres, port ${pgPort})…`);
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: pgPort });
  databaseUrl = embedded.url;
  stops.push(embedded.stop);
}
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  NEXT_TELEMETRY_DISABLED: "1",
  CORRAL_BASE_URL: process.env.CORRAL_BASE_URL || `http://127.0.0.1:${port}`,
};
// Credentials Corral stores (data sources, environments' stores) are sealed with CORRAL_SECRET_KEYS;
// the quick start makes a key once and keeps it beside its data (mode 600).
if (!env.CORRAL_SECRET_KEYS) {
  const keyFile = path.join(dataDir, "secret-keys");
  if (!existsSync(keyFile)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(keyFile, `quickstart:${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  }
  env.CORRAL_SECRET_KEYS = readFileSync(keyFile, "utf8").trim();
}
// The e2e suite greps this file for secrets: each start begins it anew.
if (env.LOG_FILE) {
  mkdirSync(path.dirname(path.resolve(root, env.LOG_FILE)), { recursive: true });
  writeFileSync(env.LOG_FILE, "");
}
// The quick start: with no sign-in provider configured, let people pick a name and a role.
// A production build refuses that unless forced, and the quick start is the one place that does.
if (!env.OIDC_ISSUER && env.CORRAL_LOCAL_SIGNIN === undefined) {
  env.CORRAL_LOCAL_SIGNIN = "true";
  env.CORRAL_LOCAL_SIGNIN_FORCE = "true";
  console.log("• No OIDC_ISSUER: local sign-in is on (pick a name and a role). Do not use this for a shared installation.");
}

const { cloudConfigured, startSandbox } = await import("./lib/sandbox.mjs");
let sandboxStarted = false;
if (!cloudConfigured(env) && env.CORRAL_SANDBOX !== "off") {
  console.log("• No cluster or AWS account configured: starting the local sandbox…");
  const sandbox = await startSandbox(dataDir, env);
  Object.assign(env, sandbox.vars);
  stops.push(sandbox.stop);
  sandboxStarted = true;
  // Its cluster's environments get names in the sandbox's zone, answered by its ingress on
  // loopback: *.localhost is loopback in browsers, so the URLs open with no DNS set up.
  env.CORRAL_DEFAULT_CLUSTER_DNS_DOMAIN ??= "sandbox.localhost";
  env.CORRAL_DEFAULT_CLUSTER_INGRESS ??= "127.0.0.1";
  if (env.SANDBOX_INGRESS_URL) env.CORRAL_DEFAULT_CLUSTER_URL ??= env.SANDBOX_INGRESS_URL;
  // A sleeping environment's names lead to Corral's waker; visits counted from the ingress's metrics.
  env.CORRAL_DEFAULT_CLUSTER_WAKER_URL ??= `http://127.0.0.1:${port}`;
  if (env.SANDBOX_CONTROL_URL) env.CORRAL_DEFAULT_CLUSTER_INGRESS_METRICS_URL ??= `${env.SANDBOX_CONTROL_URL}/metrics`;
  // A local demo's webhook receivers are on this machine too.
  env.CORRAL_WEBHOOKS_ALLOW_PRIVATE ??= "true";
  console.log(sandbox.summary);
}

console.log("• Applying database migrations…");
runOrExit("tsx", [path.join(root, "scripts", "migrate.ts")], { env });
if (sandboxStarted) {
  // Examples whose images the sandbox's registry holds, so a newcomer starts without an admin.
  runOrExit("tsx", ["--conditions=react-server", path.join(root, "scripts", "seed-examples.ts")], { env });
}

if (build) {
  console.log("• Building the portal (next build)…");
  runOrExit("next", ["build"], { env: { ...env, NODE_ENV: "production" } });
}

// scripts/serve.mjs rather than `next start`: it tells route handlers the connection's address.
const server = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs"), ...(dev ? ["--dev"] : []), "--port", String(port), "--hostname", "127.0.0.1"], {
  cwd: root,
  env: { ...env, NODE_ENV: dev ? "development" : "production" },
  stdio: ["ignore", "pipe", "inherit"],
});
server.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (/✓ Ready on/.test(String(chunk))) {
    console.log(`\n  Corral is running at http://127.0.0.1:${port}\n`);
  }
});

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  server.kill("SIGTERM");
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
}
server.on("exit", (code) => void shutdown(code ?? 0));
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
