import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { ensureLocalRedis, redisClient } from "../test/support/redis";
import { runBench } from "./support/run-bench";
import { benchNumber } from "./support/run-env";

// Issue 13's figure for the Redis copy: 1,000,000 keys of mixed types (mostly small strings and
// hashes, some lists, sets, sorted sets and streams, a tenth with a TTL) seeded in db 14 and copied
// into db 15 of the machine's Redis, by copyRedis and by a baseline, each in a process of its own
// (bench/data-redis-run.ts) so that its peak RSS is its own.
//
// The baseline streams a DUMP-based export (SCAN, DUMP + PTTL pipelined, 8 batches of 1,000 in
// flight, as copyRedis reads) into `redis-cli --pipe` as RESTORE … REPLACE commands: the way
// redis-dump-go and similar tools copy, with the write side in C. It is the fairest baseline on
// one server: MIGRATE … COPY REPLACE KEYS would be the server-native way, but MIGRATE into the
// same server deadlocks (the server blocks waiting for its own answer), and a second server
// would make the two runs copy over different paths. Both runs do the same server work (the same
// DUMPs and RESTOREs); copyRedis also verifies (a key count and 1,000 sampled digests), reported
// apart as copySeconds.

const ROOT = path.resolve(import.meta.dirname, "..");
const KEYS = benchNumber("BENCH_REDIS_KEYS", 1_000_000);
const ROUNDS = benchNumber("BENCH_REDIS_ROUNDS", 3);
const SOURCE_DB = 14;
const TARGET_DB = 15;
const run = promisify(execFile);
const clients: Redis[] = [];

runBench(main, async () => {
  for (const c of clients) {
    await c.flushdb().catch(() => {});
    c.disconnect();
  }
});

async function main() {
  await ensureLocalRedis();
  const source = redisClient(SOURCE_DB);
  const target = redisClient(TARGET_DB);
  clients.push(source, target);
  await target.flushdb();
  const seedStarted = performance.now();
  const mix = await seed(source, KEYS);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`seeded ${KEYS.toLocaleString("en-US")} keys in ${seedSeconds.toFixed(1)} s`, mix);

  const once = async (mode: "corral" | "baseline") => {
    await target.flushdb();
    const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "bench", "data-redis-run.ts"), mode, String(SOURCE_DB), String(TARGET_DB)], { cwd: ROOT, maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout.trim().split("\n").pop()!) as { keys: number; seconds: number; copySeconds?: number; peakRssMb: number; redisCliPeakRssMb?: number; verified?: boolean };
    const inTarget = await target.dbsize();
    if (inTarget !== KEYS || r.keys !== KEYS) throw new Error(`${mode}: ${r.keys} keys copied, ${inTarget} in the target, ${KEYS} expected`);
    const out = { ...r, keysPerSecond: Math.round(r.keys / r.seconds) };
    console.log(mode, out);
    return out;
  };
  // Baseline and copyRedis in turn, ROUNDS times each: the median of each, on a noisy shared machine.
  const runs = { baseline: [] as Awaited<ReturnType<typeof once>>[], corral: [] as Awaited<ReturnType<typeof once>>[] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.baseline.push(await once("baseline"));
    runs.corral.push(await once("corral"));
  }
  const median = <T extends { seconds: number }>(xs: T[]) => [...xs].sort((a, b) => a.seconds - b.seconds)[Math.floor((xs.length - 1) / 2)]!;
  const baseline = median(runs.baseline);
  const corral = median(runs.corral);
  const ratio = Math.round((baseline.seconds / corral.seconds) * 100) / 100;
  console.log(`copyRedis ${corral.keysPerSecond.toLocaleString("en-US")} keys/s (goal ≥ 100,000), baseline ${baseline.keysPerSecond.toLocaleString("en-US")} keys/s; baseline time / copyRedis time = ${ratio}`);

  const result = {
    bench: "data-redis",
    at: new Date().toISOString(),
    setup: {
      keys: KEYS,
      mix,
      seedSeconds: Math.round(seedSeconds * 100) / 100,
      server: `the machine's Redis ${(await source.info("server")).match(/redis_version:(\S+)/)?.[1]}, db ${SOURCE_DB} → db ${TARGET_DB} (one server: both sides share its one thread)`,
      corral: "copyRedis (lib/data/redis/copy-redis.ts): SCAN on ioredis, DUMP/PTTL and RESTORE as hand-written RESP batches of 1,000 on bare sockets, 8 in flight, then verification; in its own process",
      baseline: "SCAN + pipelined DUMP/PTTL (8 × 1,000 in flight) streamed as RESTORE … REPLACE into `redis-cli --pipe`; in its own process (+ redis-cli)",
      runs: `each ${ROUNDS} times, alternating; the median run of each is kept`,
    },
    results: { corral, baseline, allRuns: runs },
    ratio: { baselineSecondsOverCorralSeconds: ratio, goalKeysPerSecond: 100_000, goalMet: corral.keysPerSecond >= 100_000 },
  };
  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench", "results", "data-redis.json"), `${JSON.stringify(result, null, 2)}\n`);
}

/** Seeds `n` keys through pipelines of 10,000 commands; returns how many of each type. */
async function seed(client: Redis, n: number): Promise<Record<string, number>> {
  await client.flushdb();
  const mix: Record<string, number> = {};
  for (let start = 0; start < n; start += 10_000) {
    const p = client.pipeline();
    for (let i = start; i < Math.min(n, start + 10_000); i++) {
      const bucket = i % 100;
      const type = bucket < 55 ? "string" : bucket < 85 ? "hash" : bucket < 90 ? "list" : bucket < 94 ? "set" : bucket < 98 ? "zset" : "stream";
      mix[type] = (mix[type] ?? 0) + 1;
      const key = `${type}:${i}`;
      if (type === "string") p.set(key, `value-${i}-${"x".repeat(i % 64)}`);
      else if (type === "hash") p.hset(key, "name", `user ${i}`, "email", `user${i}@example.com`, "visits", String(i % 1000));
      else if (type === "list") p.rpush(key, "a", "b", String(i));
      else if (type === "set") p.sadd(key, "x", "y", String(i));
      else if (type === "zset") p.zadd(key, 1, "one", i, "i");
      else p.xadd(key, "*", "n", String(i));
      if (i % 10 === 0) p.pexpire(key, 3_600_000);
    }
    await p.exec();
  }
  return mix;
}
