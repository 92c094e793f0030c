import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { dropDatabase, ensureLocalPostgres, freshDatabase } from "../test/support/postgres";
import { runBench } from "./support/run-bench";
import { BENCH_RUN_ENV, benchNumber } from "./support/run-env";

// Issue 14's figure: the expiry and sleep pass over 10,000 live environments — its time and its
// database queries — against the same decisions made one environment at a time (a read per
// environment, the baseline), in one run. Two cases: nothing due (the pass's steady state,
// every minute), and 100 due (50 warnings, 50 sleeps), where each acted-on environment costs
// its own short transaction. Queries are counted by Prisma's query events.

const ROOT = path.resolve(import.meta.dirname, "..");
const COUNT = benchNumber("BENCH_LIFECYCLE_ENVIRONMENTS", 10_000);
const ROUNDS = benchNumber("BENCH_LIFECYCLE_ROUNDS", 3);
const DUE = benchNumber("BENCH_LIFECYCLE_DUE", 50);
const DATABASE = `corral_bench_lifecycle_${process.pid}`;
const HOUR = 3_600_000;

Object.assign(process.env, BENCH_RUN_ENV, { CORRAL_SECRET_KEYS: "bench:Y29ycmFsLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmchISE=" });
const cleanups: (() => Promise<void>)[] = [];
let queries = 0;

runBench(main, async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function main() {
  await ensureLocalPostgres();
  const url = await freshDatabase(DATABASE);
  cleanups.push(() => dropDatabase(DATABASE));
  process.env.DATABASE_URL = url;
  const { migrate } = await import("../lib/db/migrate");
  await migrate(url);
  // The portal's own client (lib/db/client.ts keeps it on globalThis), with every query counted.
  const { PrismaClient } = await import("../lib/db/generated/client");
  const counted = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }), log: [{ emit: "event", level: "query" }] });
  counted.$on("query", () => {
    queries++;
  });
  (globalThis as { corralPrisma?: unknown }).corralPrisma = counted;
  const { db } = await import("../lib/db/client");
  cleanups.push(() => db.$disconnect());
  const { runLifecyclePass } = await import("../lib/lifecycle/run-lifecycle-pass");
  const { getLifecycleSettings } = await import("../lib/lifecycle/settings");
  const { dueNow } = await import("../lib/lifecycle/plan");
  const { factsSelect, toFacts } = await import("../lib/lifecycle/lifecycle-facts");
  const { stopBoss } = await import("../lib/jobs/queue");
  cleanups.push(() => stopBoss());
  const { log } = await import("../lib/log");
  const quiet = log.child({}, { level: "silent" });

  const now = new Date();
  await seed(db, now);

  /** The same decisions, one environment at a time: what a loop over the list would cost. */
  const perEnvironment = async (at: Date) => {
    const settings = await getLifecycleSettings();
    const ids = await db.environment.findMany({ where: { lifecycle: "active" }, select: { id: true } });
    let due = 0;
    for (const { id } of ids) {
      const e = await db.environment.findUniqueOrThrow({ where: { id }, select: factsSelect });
      due += dueNow(toFacts(e), settings, at).length;
    }
    return due;
  };
  const measure = async <T>(fn: () => Promise<T>) => {
    queries = 0;
    const t0 = performance.now();
    const value = await fn();
    return { ms: performance.now() - t0, queries, value };
  };

  // Nothing due: the pass every minute on a quiet installation.
  const quietPass: { ms: number; queries: number }[] = [];
  const quietBaseline: { ms: number; queries: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    quietPass.push(await measure(() => runLifecyclePass({ now, log: quiet })));
    quietBaseline.push(await measure(() => perEnvironment(now)));
  }

  // DUE warnings and DUE sleeps: the pass acts on each (its own transaction each); the baseline
  // only finds them. Measured once: acting changes the state.
  const later = new Date(now.getTime() + 6 * HOUR);
  const foundByBaseline = await measure(() => perEnvironment(later));
  const acting = await measure(() => runLifecyclePass({ now: later, log: quiet }));
  const acted = acting.value.warned.length + acting.value.slept.length;
  if (acted !== 2 * DUE) console.log("acted on:", { warned: acting.value.warned.length, slept: acting.value.slept.length });

  const median = (xs: { ms: number; queries: number }[]) => {
    const sorted = [...xs].sort((a, b) => a.ms - b.ms);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const q = median(quietPass);
  const b = median(quietBaseline);
  const result = {
    name: "lifecycle-sweep",
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    environments: COUNT,
    nothingDue: {
      pass: { ms: round(q.ms), queries: q.queries },
      perEnvironmentBaseline: { ms: round(b.ms), queries: b.queries },
      speedup: round(b.ms / q.ms),
    },
    someDue: {
      due: foundByBaseline.value,
      acted,
      pass: { ms: round(acting.ms), queries: acting.queries, queriesPerActedEnvironment: round((acting.queries - q.queries) / Math.max(1, acted)) },
      perEnvironmentBaselineFindingOnly: { ms: round(foundByBaseline.ms), queries: foundByBaseline.queries },
    },
    met: q.queries <= 5 && acted === 2 * DUE,
  };
  console.log(`\nExpiry and sleep pass over ${COUNT} environments (median of ${ROUNDS}):`);
  console.log(`  nothing due     pass ${result.nothingDue.pass.ms} ms, ${q.queries} queries   one at a time ${result.nothingDue.perEnvironmentBaseline.ms} ms, ${b.queries} queries   ratio ${result.nothingDue.speedup}×`);
  console.log(`  ${acted} acted on    pass ${result.someDue.pass.ms} ms, ${acting.queries} queries (${result.someDue.pass.queriesPerActedEnvironment} per environment acted on)   finding them one at a time ${result.someDue.perEnvironmentBaselineFindingOnly.ms} ms`);
  console.log(`  goal (a constant number of queries to find what is due): ${result.met ? "met" : "NOT met"}`);
  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench", "results", "lifecycle-sweep.json"), `${JSON.stringify(result, null, 2)}\n`);
}

/** COUNT live environments, recently used and far from expiry; DUE will be due for a warning and DUE for sleep six hours on. */
async function seed(db: typeof import("../lib/db/client").db, now: Date) {
  const owner = await db.user.create({ data: { email: "bench@example.com", name: "bench", role: "developer" } });
  const at = (ms: number) => `'${new Date(ms).toISOString()}'::timestamp`;
  // Most: last active at "now + 5 h" (so not idle at "later", now + 6 h), expiring in 10 days.
  await db.$executeRawUnsafe(`
    INSERT INTO "Environment" ("id", "name", "liveName", "ownerId", "status", "phase", "appliedGeneration", "appliedAt", "expiresAt", "lastActivityAt", "updatedAt")
    SELECT 'b' || g, 'bench-' || g, 'bench-' || g, '${owner.id}', 'ready', 'ready', 1, ${at(now.getTime())},
           ${at(now.getTime() + 240 * HOUR)}, ${at(now.getTime() + 5 * HOUR)}, ${at(now.getTime())}
    FROM generate_series(1, ${COUNT}) g`);
  // DUE expire within a day of "later" but not of "now" (warned then), DUE idle since before "now" (asleep by "later").
  await db.$executeRawUnsafe(`UPDATE "Environment" SET "expiresAt" = ${at(now.getTime() + 28 * HOUR)} WHERE "id" IN (SELECT 'b' || g FROM generate_series(1, ${DUE}) g)`);
  await db.$executeRawUnsafe(`UPDATE "Environment" SET "lastActivityAt" = ${at(now.getTime() - HOUR)} WHERE "id" IN (SELECT 'b' || g FROM generate_series(${DUE + 1}, ${2 * DUE}) g)`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Component" ("id", "environmentId", "name", "repository", "tag", "updatedAt")
    SELECT 'c' || g, 'b' || g, 'web', 'acme/web', '1.0.0', ${at(now.getTime())} FROM generate_series(1, ${COUNT}) g`);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
