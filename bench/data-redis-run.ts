import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { copyRedis } from "../lib/data/redis/copy-redis";
import { redisEndpoint } from "../test/support/redis";

// One copy of bench/data-redis.ts, run in a process of its own so that its peak RSS is its own:
// `corral` runs copyRedis; `baseline` streams a DUMP-based RESTORE export into `redis-cli --pipe`
// (as redis-dump-go and friends do). Prints one JSON line: keys, seconds, peak RSS.

const [mode, sourceDb, targetDb] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const BATCH = 1_000;
const IN_FLIGHT = 8;

async function main() {
  const source = redisEndpoint(sourceDb);
  const target = redisEndpoint(targetDb);
  if (mode === "corral") {
    const started = performance.now();
    let copiedAt = 0;
    const result = await copyRedis({
      source,
      target,
      batchSize: BATCH,
      onProgress: (p) => {
        if (p.phase === "verifying" && !copiedAt) copiedAt = performance.now();
      },
    });
    const ended = performance.now();
    report({ keys: result.unitsCopied, seconds: (ended - started) / 1000, copySeconds: (copiedAt - started) / 1000, verified: result.verification.ok, peakRssMb: ownPeakMb() });
  } else {
    report(await baseline(source, target));
  }
}

async function baseline(source: ReturnType<typeof redisEndpoint>, target: ReturnType<typeof redisEndpoint>) {
  const args = ["-h", target.host, "-p", String(target.port), "-n", String(target.db), ...(target.username ? ["--user", target.username] : []), "--pipe"];
  const env = { ...process.env, ...(target.password ? { REDISCLI_AUTH: target.password } : {}) };
  const started = performance.now();
  const cli = spawn("redis-cli", args, { env, stdio: ["pipe", "pipe", "inherit"] });
  let cliOutput = "";
  cli.stdout.on("data", (d: Buffer) => (cliOutput += d.toString()));
  const exited = new Promise<number>((resolve) => cli.on("exit", (code) => resolve(code ?? 1)));
  let cliPeakKb = 0;
  const sampler = setInterval(() => (cliPeakKb = Math.max(cliPeakKb, vmHwmKb(cli.pid!))), 20);

  const client = new Redis({ host: source.host, port: source.port, username: source.username, password: source.password, db: source.db, protocol: 2 });
  let keys = 0;
  const inFlight = new Set<Promise<void>>();
  const write = (chunk: Buffer) => (cli.stdin.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => cli.stdin.once("drain", () => resolve())));
  const exportBatch = async (batch: Buffer[]) => {
    const p = client.pipeline();
    for (const k of batch) p.dumpBuffer(k).pttl(k);
    const replies = (await p.exec())!;
    const out: Buffer[] = [];
    batch.forEach((k, i) => {
      const payload = replies[2 * i]![1] as Buffer | null;
      const ttl = replies[2 * i + 1]![1] as number;
      if (!payload || ttl === -2) return;
      out.push(resp([Buffer.from("RESTORE"), k, Buffer.from(String(Math.max(0, ttl))), payload, Buffer.from("REPLACE")]));
      keys++;
    });
    await write(Buffer.concat(out));
  };
  let cursor = "0";
  let pending: Buffer[] = [];
  do {
    const [next, page] = await client.scanBuffer(cursor, "COUNT", BATCH);
    cursor = next.toString();
    pending.push(...page);
    while (pending.length >= BATCH || (cursor === "0" && pending.length > 0)) {
      const batch = pending.slice(0, BATCH);
      pending = pending.slice(BATCH);
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      const job: Promise<void> = exportBatch(batch).finally(() => inFlight.delete(job));
      inFlight.add(job);
    }
  } while (cursor !== "0");
  await Promise.all(inFlight);
  cli.stdin.end();
  const code = await exited;
  clearInterval(sampler);
  client.disconnect();
  const ended = performance.now();
  if (code !== 0 || !/errors: 0/.test(cliOutput)) throw new Error(`redis-cli --pipe failed (${code}): ${cliOutput}`);
  return { keys, seconds: (ended - started) / 1000, peakRssMb: ownPeakMb(), redisCliPeakRssMb: round(cliPeakKb / 1024) };
}

function resp(parts: Buffer[]): Buffer {
  const out: Buffer[] = [Buffer.from(`*${parts.length}\r\n`)];
  for (const p of parts) out.push(Buffer.from(`$${p.length}\r\n`), p, Buffer.from("\r\n"));
  return Buffer.concat(out);
}

function vmHwmKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function ownPeakMb(): number {
  return round(process.resourceUsage().maxRSS / 1024);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function report(o: object) {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
