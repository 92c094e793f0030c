// `prisma generate` checks that Prisma's schema engine exists before it generates the client,
// though generating does not run it. The engine is a native binary downloaded from a host that
// machines without internet access (CI's among them) cannot reach. Where it is missing we point
// PRISMA_SCHEMA_ENGINE_BINARY at a placeholder that explains, if it is ever run, why it cannot
// work. Where the engine is present (or the variable is already set) plain Prisma is used.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const env = { ...process.env };
const engines = path.join(root, "node_modules", "@prisma", "engines");
const hasEngine = existsSync(engines) && readdirSync(engines).some((f) => f.startsWith("schema-engine"));
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !hasEngine) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(root, "scripts", "schema-engine-unavailable.sh");
}
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const result = spawnSync(process.execPath, [prisma, "generate", ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
