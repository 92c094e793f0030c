import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { startSandbox } from "../sandbox/index";
import { runBench } from "./support/run-bench";
import { benchNumber } from "./support/run-env";

// Issue 12's figure for the DNS sync: 500 environments × (the environment's name + 2 public
// components) = 1,500 names, each with its ownership TXT, put into an empty zone of the sandbox's
// Route 53 with AWS's account limit (5 requests a second) and a delay before a change is INSYNC.
// Corral's way — one listing, the plan packed into as few ChangeResourceRecordSets requests as
// the limits allow, then GetChange until INSYNC — against a baseline of one request per name (the
// record with its TXT owner, as a tool without batching sends them) and the same wait. Both go
// through the same gateway (token bucket, retries), one after the other, each into its own zone
// of one sandbox: only the batching differs.

const ROOT = path.resolve(import.meta.dirname, "..");
const num = benchNumber;
const ENVIRONMENTS = num("BENCH_DNS_ENVIRONMENTS", 500);
const RATE_LIMIT = num("BENCH_DNS_RATE_LIMIT", 5);
const SYNC_DELAY_MS = num("BENCH_DNS_SYNC_DELAY_MS", 10_000);
const INSTALLATION = "corral-prod";
const ZONES = { batched: "batched.bench.test", baseline: "baseline.bench.test" } as const;

process.env.LOG_LEVEL = "error";
const cleanups: (() => Promise<void>)[] = [];

runBench(main, async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function main() {
  const sandbox = await startSandbox({ route53: { zones: Object.values(ZONES), rateLimitPerSecond: RATE_LIMIT, changeSyncDelayMs: SYNC_DELAY_MS } });
  cleanups.push(() => sandbox.stop());
  Object.assign(process.env, sandbox.awsEnv);
  const { planZone } = await import("../lib/dns/plan-zone");
  const { applyChanges, findZone, listZoneRecords, route53Client, waitInSync } = await import("../lib/dns/route53");
  type Wanted = import("../lib/dns/types").WantedRecord;

  // Every request the gateway sends (the SDK's own retries are off, so one send is one request).
  const counts = new Map<string, number>();
  let throttled = 0;
  route53Client().middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? "?", (counts.get(context.commandName ?? "?") ?? 0) + 1);
      try {
        return await next(args);
      } catch (error) {
        if ((error as Error).name === "Throttling") throttled++;
        throw error;
      }
    },
    { step: "initialize", name: "benchCounter" },
  );

  const wantedIn = (zone: string): Wanted[] =>
    Array.from({ length: ENVIRONMENTS }, (_, i) => {
      // Environment ids as Prisma makes them (cuid, 25 characters), so the TXT owners are as long as in use.
      const owner = `cm${i.toString(36).padStart(6, "0")}q8x0b1k2z3y4w5v6u`;
      const env = `env-${String(i).padStart(3, "0")}.${zone}`;
      return [
        { owner, name: env, type: "A" as const, values: [`10.96.${i >> 8}.${i & 255}`] },
        { owner, name: `web.${env}`, type: "CNAME" as const, values: [env] },
        { owner, name: `api.${env}`, type: "CNAME" as const, values: [env] },
      ];
    }).flat();

  const run = async (zoneName: string, perName: boolean) => {
    counts.clear();
    throttled = 0;
    const zone = await findZone(zoneName);
    const wanted = wantedIn(zoneName);
    const started = performance.now();
    const plan = planZone({ zone: zoneName, installation: INSTALLATION, wanted, existing: await listZoneRecords(zone.id) });
    const ids: string[] = [];
    let rejected = 0;
    for (const groups of perName ? plan.groups.map((g) => [g]) : [plan.groups]) {
      const result = await applyChanges(zone.id, groups);
      rejected += result.rejected.length;
      ids.push(...new Set(result.applied.map((a) => a.changeId)));
    }
    const submittedMs = performance.now() - started;
    const synced = await waitInSync(ids, { timeoutMs: 30 * 60_000 });
    const inSyncMs = performance.now() - started;
    const requests = Object.fromEntries(counts);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    // Measured after the clock stopped: everything is there and owned.
    const check = planZone({ zone: zoneName, installation: INSTALLATION, wanted, existing: await listZoneRecords(zone.id) });
    if (rejected > 0 || synced.pending.length > 0 || check.groups.length > 0 || check.live.length !== wanted.length) {
      throw new Error(`${zoneName}: ${rejected} rejected, ${synced.pending.length} pending, ${check.groups.length} groups left, ${check.live.length}/${wanted.length} live`);
    }
    return {
      names: wanted.length,
      recordSets: wanted.length * 2,
      changeRequests: ids.length,
      changeRequestsPer100Names: round2((ids.length / wanted.length) * 100),
      route53Requests: total,
      requestsPer100Names: round2((total / wanted.length) * 100),
      requestsByOperation: requests,
      throttledRequests: throttled,
      submittedSeconds: round2(submittedMs / 1000),
      allInSyncSeconds: round2(inSyncMs / 1000),
    };
  };

  console.log(`${ENVIRONMENTS * 3} names with TXT owners, Route 53 at ${RATE_LIMIT} requests/s, INSYNC after ${SYNC_DELAY_MS / 1000} s`);
  const batched = await run(ZONES.batched, false);
  console.log(`  batched   ${batched.route53Requests} requests (${batched.changeRequests} changes), all INSYNC in ${batched.allInSyncSeconds} s`);
  const baseline = await run(ZONES.baseline, true);
  console.log(`  baseline  ${baseline.route53Requests} requests (${baseline.changeRequests} changes), all INSYNC in ${baseline.allInSyncSeconds} s`);

  const result = {
    bench: "dns",
    at: new Date().toISOString(),
    setup: {
      environments: ENVIRONMENTS,
      names: batched.names,
      route53: `sandbox Route 53 over loopback HTTP: ${RATE_LIMIT} requests/s for the account (Throttling beyond), a change INSYNC ${SYNC_DELAY_MS / 1000} s after it is made`,
      gateway: "lib/dns/route53.ts: token bucket 5/s (burst 2), retries with jittered backoff, GetChange polling oldest first",
      baseline: "one ChangeResourceRecordSets request per name (its record and its TXT owner), then the same wait",
    },
    results: { batched, baseline },
    ratios: {
      requests: round4(batched.route53Requests / baseline.route53Requests),
      allInSync: round4(batched.allInSyncSeconds / baseline.allInSyncSeconds),
    },
    goal: "at most 1 ChangeResourceRecordSets request per 100 names",
    met: batched.changeRequestsPer100Names <= 1,
  };
  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench", "results", "dns.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  ratio batched/baseline: requests ${result.ratios.requests}, time to all INSYNC ${result.ratios.allInSync}`);
  console.log(`  goal: ${result.goal} — ${result.met ? "met" : "NOT met"} (${batched.changeRequestsPer100Names}; every request counted ${batched.requestsPer100Names})`);
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
