import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { NextRequest } from "next/server";
import { sandboxRegistryCredentials, startSandbox } from "../sandbox/index";
import { dropDatabase, ensureLocalPostgres, freshDatabase } from "../test/support/postgres";
import { pushTag } from "../test/support/registry";
import { runBench } from "./support/run-bench";
import { BENCH_RUN_ENV, benchNumber } from "./support/run-env";

// Issue 11's figure for the version picker: GET /api/v1/image-versions answered with the
// registry's listing cached (warm) against the same request with the listing dropped just
// before (cold: the sandbox's registry asked over HTTP, token auth on, every page followed; the
// token itself stays cached, as it does between listings in a running server) — once on
// loopback, and once with 50 ms added to each registry request, as a registry across a network
// would take. The database part is the same in all: 5 templates and 1,000 live environments
// with the image. The route handler runs in this process, as Next.js would call it; rounds
// alternate the three so that drift on a noisy machine lands on all of them.

const ROOT = path.resolve(import.meta.dirname, "..");
const num = benchNumber;
const ROUNDS = num("BENCH_IMAGE_VERSIONS_ROUNDS", 10);
const CALLS = num("BENCH_IMAGE_VERSIONS_CALLS", 20);
const EXTRA_TAGS = num("BENCH_IMAGE_VERSIONS_TAGS", 250);
const ENVIRONMENTS = num("BENCH_IMAGE_VERSIONS_ENVIRONMENTS", 1_000);
const REMOTE_LATENCY_MS = num("BENCH_IMAGE_VERSIONS_LATENCY_MS", 50);
const DATABASE = `corral_bench_image_versions_${process.pid}`;

Object.assign(process.env, BENCH_RUN_ENV);
// The credentials' change feed complains when its database is dropped at the end; a failed call throws anyway.
process.env.LOG_LEVEL = "error";
const cleanups: (() => Promise<void>)[] = [];

runBench(main, async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function main() {
  await ensureLocalPostgres();
  const url = await freshDatabase(DATABASE);
  cleanups.push(() => dropDatabase(DATABASE));
  process.env.DATABASE_URL = url;
  // The registry as the quick start runs it: token auth on, 100 tags a page.
  const sandbox = await startSandbox({ registry: { auth: true } });
  cleanups.push(() => sandbox.stop());
  process.env.CORRAL_REGISTRIES = sandbox.registryEnv.CORRAL_REGISTRIES;
  const repository = `${sandbox.registry.host}/shop/web`;
  // A registry with history: shop/web's seed plus 250 patch releases, three pages.
  for (let i = 0; i < EXTRA_TAGS; i++) await pushTag(sandbox.registry.url, "shop/web", `0.${Math.floor(i / 25)}.${i % 25}`, sandboxRegistryCredentials);

  const { migrate } = await import("../lib/db/migrate");
  await migrate(url);
  const { db } = await import("../lib/db/client");
  cleanups.push(() => db.$disconnect());
  const headers = await seed(db, repository);
  const { GET } = await import("../app/api/v1/image-versions/route");
  const { registryGateway } = await import("../lib/registry/registry-gateway");

  const call = async () => {
    const request = new NextRequest(new URL(`/api/v1/image-versions?repository=${encodeURIComponent(repository)}`, "http://corral.test"), { headers });
    const t0 = performance.now();
    const response = await GET(request, { params: Promise.resolve({}) });
    const body = (await response.json()) as { versions: unknown[]; registry: { status: string } };
    const ms = performance.now() - t0;
    if (response.status !== 200 || body.registry.status !== "ok") throw new Error(`answered ${response.status} ${JSON.stringify(body.registry)}`);
    return { ms, versions: body.versions.length };
  };

  // The very first answer: the token flow too.
  const first = await call();
  const cold: number[] = [];
  const coldRemote: number[] = [];
  const warm: number[] = [];
  const before = sandbox.registry.counters();
  let coldRequests = 0;
  let warmRequests = 0;
  const measure = async (into: number[], forget: boolean) => {
    for (let i = 0; i < CALLS; i++) {
      if (forget) registryGateway().forget(repository);
      const asked = sandbox.registry.counters().requests;
      into.push((await call()).ms);
      if (forget) coldRequests += sandbox.registry.counters().requests - asked;
      else warmRequests += sandbox.registry.counters().requests - asked;
    }
  };
  for (let round = 0; round < ROUNDS; round++) {
    await measure(cold, true);
    sandbox.setFaults("registry", { latencyMs: REMOTE_LATENCY_MS });
    await measure(coldRemote, true);
    sandbox.clearFaults();
    await measure(warm, false);
  }
  const after = sandbox.registry.counters();

  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { p50Ms: round2(pct(sorted, 0.5)), p95Ms: round2(pct(sorted, 0.95)), meanMs: round2(xs.reduce((a, b) => a + b, 0) / xs.length) };
  };
  const coldStats = stats(cold);
  const remoteStats = stats(coldRemote);
  const warmStats = stats(warm);
  const ratio = round2(warmStats.p50Ms / coldStats.p50Ms);
  const remoteRatio = round2(warmStats.p50Ms / remoteStats.p50Ms);
  const result = {
    bench: "image-versions",
    at: new Date().toISOString(),
    setup: {
      rounds: ROUNDS,
      callsPerRoundEach: CALLS,
      registryTags: (await registryGateway().listTags(repository)).length,
      versionsAnswered: first.versions,
      templates: 5,
      liveEnvironments: ENVIRONMENTS,
      registry: "sandbox registry over loopback HTTP, token auth on, 100 tags a page",
      server: "route handler in process (tsx --conditions=react-server), a developer's session",
    },
    results: {
      firstCallMs: round2(first.ms),
      cold: { ...coldStats, registryRequestsPerCall: round2(coldRequests / (cold.length + coldRemote.length)) },
      coldRemote: { ...remoteStats, addedLatencyMsPerRequest: REMOTE_LATENCY_MS },
      warm: { ...warmStats, registryRequestsPerCall: round2(warmRequests / warm.length) },
      tokensIssued: after.tokens - before.tokens,
    },
    ratios: { warmToCold: ratio, warmToColdRemote: remoteRatio },
    goal: "a warm answer asks the registry nothing and takes at most a tenth of a cold one across a network (p50)",
    met: warmRequests === 0 && remoteRatio <= 0.1,
  };
  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench", "results", "image-versions.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nGET /api/v1/image-versions, ${result.setup.registryTags} registry tags, ${ENVIRONMENTS} environments, ${ROUNDS}×${CALLS} calls each:`);
  console.log(`  first call (token flow)  ${result.results.firstCallMs} ms`);
  console.log(`  cold, loopback registry  p50 ${coldStats.p50Ms} ms   p95 ${coldStats.p95Ms} ms   ${result.results.cold.registryRequestsPerCall} registry requests a call`);
  console.log(`  cold, +${REMOTE_LATENCY_MS} ms a request   p50 ${remoteStats.p50Ms} ms   p95 ${remoteStats.p95Ms} ms`);
  console.log(`  warm (listing cached)    p50 ${warmStats.p50Ms} ms   p95 ${warmStats.p95Ms} ms   ${result.results.warm.registryRequestsPerCall} registry requests a call`);
  console.log(`  ratio warm/cold (p50)    ${ratio} on loopback, ${remoteRatio} at +${REMOTE_LATENCY_MS} ms`);
  console.log(`  goal: ${result.goal} — ${result.met ? "met" : "NOT met"}`);
}

async function seed(db: typeof import("../lib/db/client").db, repository: string) {
  const dev = await db.user.create({ data: { email: "dev@bench.example", name: "Dev", role: "developer" } });
  for (let t = 0; t < 5; t++) {
    await db.template.create({ data: { name: `shop-${t}`, components: { create: [{ name: "web", repository, defaultTag: t < 3 ? "1.2.1" : "1.3.0" }] } } });
  }
  for (let start = 0; start < ENVIRONMENTS; start += 100) {
    await db.$transaction(
      Array.from({ length: Math.min(100, ENVIRONMENTS - start) }, (_, k) => {
        const i = start + k;
        const name = `env-${String(i).padStart(4, "0")}`;
        const tag = ["1.2.1", "1.2.0", "1.3.0", "0.3.7"][i % 4]!;
        return db.environment.create({
          data: { name, liveName: name, ownerId: dev.id, components: { create: [{ name: "web", repository, tag }, { name: "api", repository: "shop/api", tag: "1.2.1" }] } },
        });
      }),
    );
  }
  const { createSession } = await import("../lib/auth/sessions");
  const session = await createSession(dev.id, "local", {});
  return { cookie: `corral_session=${session.token}`, origin: "http://corral.test" };
}

function pct(sorted: number[], p: number) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
const round2 = (n: number) => Math.round(n * 100) / 100;
