import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { startSandbox } from "../sandbox/index";
import { dropDatabase, ensureLocalPostgres, freshDatabase } from "../test/support/postgres";
import { runBench } from "./support/run-bench";
import { benchNumber } from "./support/run-env";

// Issue 15's figure for webhooks: deliveries a second through Corral's way — each event
// recorded in a transaction (a delivery row and a queue job), then sent by the real worker with
// its signature, the attempt written to the delivery log — against the baseline of a direct POST
// loop with the same signed bodies and the same HTTP client (kept-alive connections), nothing
// recorded. Sequential, and 16 at once (the worker's most in flight), to a receiver on loopback
// that answers 200 at once. Corral's time is told in its halves too: recording the events
// (no worker running), then the worker sending that backlog. What the ratio says: the price of
// durability per delivery.

const ROOT = path.resolve(import.meta.dirname, "..");
const EVENTS = benchNumber("BENCH_WEBHOOK_EVENTS", 2_000);
const RECORD_CONCURRENCY = benchNumber("BENCH_WEBHOOK_RECORD_CONCURRENCY", 8);
const DIRECT_CONCURRENCY = 16;
const DATABASE = `corral_bench_webhooks_${process.pid}`;

Object.assign(process.env, {
  NODE_ENV: "production",
  CORRAL_WORKER: "off",
  CORRAL_BASE_URL: "http://127.0.0.1:9",
  CORRAL_LOCAL_SIGNIN: "true",
  CORRAL_LOCAL_SIGNIN_FORCE: "true",
  CORRAL_WEBHOOKS_ALLOW_PRIVATE: "true",
  CORRAL_SECRET_KEYS: "bench:Y29ycmFsLWJlbmNoLWtleS0zMi1ieXRlcy1sb25nISE=",
  LOG_LEVEL: "warn",
});
const cleanups: (() => Promise<void>)[] = [];

runBench(main, async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function main() {
  await ensureLocalPostgres();
  const url = await freshDatabase(DATABASE);
  cleanups.push(() => dropDatabase(DATABASE));
  const { migrate } = await import("../lib/db/migrate");
  await migrate(url);
  process.env.DATABASE_URL = url;
  const sandbox = await startSandbox({ configDir: await mkdtemp(path.join(tmpdir(), "corral-bench-webhooks-")) });
  cleanups.push(() => sandbox.stop());
  process.env.KUBECONFIG = sandbox.kubeconfigPath;

  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const [{ db }, { startWorker }, { stopBoss }, { closeKeyLocks }, { recordEvent }, { postWebhook }, { signature, newWebhookSecret }, { secretBox }, { webhookSecretPurpose }] = await Promise.all([
    import("../lib/db/client"),
    import("../lib/jobs/worker"),
    import("../lib/jobs/queue"),
    import("../lib/jobs/key-lock"),
    import("../lib/webhooks/record-event"),
    import("../lib/webhooks/post-webhook"),
    import("../lib/webhooks/signature"),
    import("../lib/secrets/secrets"),
    import("../lib/webhooks/webhook-secret"),
  ]);
  cleanups.push(async () => {
    await stopBoss();
    await closeKeyLocks();
    await db.$disconnect();
  });
  const secret = newWebhookSecret();
  const hook = await db.webhookSubscription.create({ data: { url: target, events: ["environment.ready"], secretEncrypted: "" } });
  await db.webhookSubscription.update({ where: { id: hook.id }, data: { secretEncrypted: secretBox().seal(secret, webhookSecretPurpose(hook.id)) } });
  const event = (i: number) => ({ kind: "environment.ready" as const, data: { environment: { id: `bench-${i}`, name: `env-${i}`, status: "ready" }, previousStatus: "provisioning" } });
  const record = (from: number, n: number) => pool(n, RECORD_CONCURRENCY, (i) => db.$transaction((tx) => recordEvent(tx, event(from + i))).then(() => undefined));
  const delivered = () => db.webhookDelivery.count({ where: { status: "succeeded" } });

  // A warm-up through the whole path, then the worker stopped.
  const warmup = 20;
  let worker = await startWorker();
  await record(0, warmup);
  await until(async () => (await delivered()) === warmup, "the warm-up delivered");
  await worker.stop();
  received = 0;

  // Corral's way, in its two halves: events recorded (a few at once, as status changes arrive)
  // while no worker runs, then the worker started on the backlog and timed until all are delivered.
  const started = performance.now();
  await record(warmup, EVENTS);
  const recordedSeconds = (performance.now() - started) / 1000;
  const sending = performance.now();
  worker = await startWorker();
  cleanups.push(() => worker.stop());
  await until(async () => (await delivered()) === warmup + EVENTS, "every delivery succeeded", 600_000);
  const sentSeconds = (performance.now() - sending) / 1000;
  const queueSeconds = recordedSeconds + sentSeconds;
  const queueReceived = received;

  // The baseline: the same signed bodies posted straight from a loop, nothing recorded.
  const bodies = Array.from({ length: EVENTS }, (_, i) => JSON.stringify({ id: `evt_${i}`, type: "environment.ready", createdAt: new Date().toISOString(), data: event(i).data }));
  const post = async (body: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const outcome = await postWebhook({ url: target, body, allowPrivate: true, headers: { "content-type": "application/json", "corral-timestamp": String(timestamp), "corral-signature": signature(secret, timestamp, body) } });
    if (outcome.kind !== "response" || outcome.status !== 200) throw new Error(`the direct POST got ${JSON.stringify(outcome)}`);
  };
  const timed = async (concurrency: number) => {
    const t0 = performance.now();
    await pool(EVENTS, concurrency, (i) => post(bodies[i]!));
    return (performance.now() - t0) / 1000;
  };
  await timed(DIRECT_CONCURRENCY); // warm-up
  const sequentialSeconds = await timed(1);
  const concurrentSeconds = await timed(DIRECT_CONCURRENCY);

  const perSecond = (s: number) => Math.round(EVENTS / s);
  const result = {
    bench: "webhooks",
    at: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    setup: {
      events: EVENTS,
      receiver: "node:http on loopback, 200 at once",
      corral: `recordEvent() in a transaction (${RECORD_CONCURRENCY} at once) → pg-boss → the worker (webhook-delivery job: sign, POST, write the attempt)`,
      baseline: "the same signed bodies POSTed by lib/webhooks/post-webhook.ts in a loop, nothing recorded",
    },
    results: {
      corral: {
        seconds: round(queueSeconds),
        deliveriesPerSecond: perSecond(queueSeconds),
        recorded: { seconds: round(recordedSeconds), eventsPerSecond: perSecond(recordedSeconds) },
        sent: { seconds: round(sentSeconds), deliveriesPerSecond: perSecond(sentSeconds) },
        received: queueReceived,
      },
      directSequential: { seconds: round(sequentialSeconds), deliveriesPerSecond: perSecond(sequentialSeconds) },
      directConcurrent: { concurrency: DIRECT_CONCURRENCY, seconds: round(concurrentSeconds), deliveriesPerSecond: perSecond(concurrentSeconds) },
    },
    ratios: {
      corralVsDirectSequential: round(sequentialSeconds / queueSeconds),
      corralVsDirectConcurrent: round(concurrentSeconds / queueSeconds),
      workerVsDirectConcurrent: round(concurrentSeconds / sentSeconds),
    },
  };
  console.log(`\nwebhook deliveries, ${EVENTS} events to a receiver on loopback`);
  console.log(`  Corral (recorded, queued, signed, logged)  ${String(result.results.corral.deliveriesPerSecond).padStart(6)} /s  (${round(queueSeconds)} s)`);
  console.log(`    recording the events, ${RECORD_CONCURRENCY} at once          ${String(result.results.corral.recorded.eventsPerSecond).padStart(6)} /s  (${round(recordedSeconds)} s)`);
  console.log(`    the worker sending the backlog           ${String(result.results.corral.sent.deliveriesPerSecond).padStart(6)} /s  (${round(sentSeconds)} s)`);
  console.log(`  direct POST loop, one at a time            ${String(result.results.directSequential.deliveriesPerSecond).padStart(6)} /s  (${round(sequentialSeconds)} s)`);
  console.log(`  direct POST loop, ${DIRECT_CONCURRENCY} at once              ${String(result.results.directConcurrent.deliveriesPerSecond).padStart(6)} /s  (${round(concurrentSeconds)} s)`);
  console.log(`  ratio Corral / direct: ${result.ratios.corralVsDirectSequential}× (one at a time), ${result.ratios.corralVsDirectConcurrent}× (${DIRECT_CONCURRENCY} at once); the worker alone ${result.ratios.workerVsDirectConcurrent}× (${DIRECT_CONCURRENCY} at once)`);
  await writeFile(path.join(ROOT, "bench", "results", "webhooks.json"), JSON.stringify(result, null, 2) + "\n");
  console.log("\nwrote bench/results/webhooks.json");
  if (queueReceived !== EVENTS) throw new Error(`the receiver got ${queueReceived} deliveries, not ${EVENTS}`);
}

async function pool(n: number, limit: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await task(next++);
  }));
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function round(n: number) {
  return Math.round(n * 100) / 100;
}
