import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Sandbox, startSandbox } from "../sandbox/index";
import { benchNumber } from "./support/run-env";
import { runBench } from "./support/run-bench";

// Objects a second copied from one sandbox bucket to another: `aws s3 sync` (Debian's AWS CLI
// v2, which copies server-side too) against copyS3, each in its own process so that its peak RSS
// is its own. Both are bounded by the sandbox's S3, which does the copying itself on this machine:
// the ratio says how the copier's requests compare, not what AWS would do.
const objects = benchNumber("BENCH_OBJECTS", 10_000);
const large = benchNumber("BENCH_LARGE_OBJECTS", 10);
const aws = "/usr/bin/aws";
let sandbox: Sandbox | undefined;

async function main(): Promise<void> {
  sandbox = await startSandbox({ s3: { buckets: ["h3-bench-src", "h3-bench-cli", "h3-bench-corral"] } });
  const url = sandbox.s3.url;
  const s3 = new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  let bytes = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < objects) {
        const i = next++;
        // Mostly small objects under a few prefixes, a few of several MiB.
        const size = i < large ? 8 * 1024 * 1024 + i : 200 + (i % 50) * 40;
        bytes += size;
        await s3.send(new PutObjectCommand({ Bucket: "h3-bench-src", Key: `p${i % 20}/d${i % 7}/object ${i}.txt`, Body: Buffer.alloc(size, i % 251), ContentType: "text/plain", Metadata: { i: String(i) } }));
      }
    }),
  );
  console.log(`seeded ${objects} objects, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);

  const env = { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" };
  const cli = await measure(aws, ["s3", "sync", "--only-show-errors", "s3://h3-bench-src/", "s3://h3-bench-cli/", "--endpoint-url", url], env);
  const location = (bucket: string) => JSON.stringify({ endpoint: url, region: "us-east-1", accessKeyId: "bench", secretAccessKey: "bench", bucket, prefix: "", forcePathStyle: true });
  const tsx = path.resolve("node_modules/.bin/tsx");
  const corral = await measure(tsx, ["bench/data-s3-copier.ts"], { ...process.env, BENCH_S3_SOURCE: location("h3-bench-src"), BENCH_S3_TARGET: location("h3-bench-corral") });
  const copied = JSON.parse(corral.stdout.trim().split("\n").at(-1) ?? "{}") as { seconds: number; objects: number; ok: boolean; maxRssKiB: number };
  if (cli.code !== 0 || corral.code !== 0 || !copied.ok || copied.objects !== objects) throw new Error(`a copy failed: cli ${cli.code} ${cli.stderr.slice(0, 500)}; corral ${corral.code} ${corral.stderr.slice(0, 500)}`);

  const cliRate = objects / cli.seconds;
  // The copier's own figure includes emptying, listing and verifying, as the process time does.
  const corralRate = objects / corral.seconds;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    objects,
    largeObjects: large,
    bytes,
    awsCliSync: { seconds: round(cli.seconds), objectsPerSecond: Math.round(cliRate), peakRssMiB: round(cli.peakRssKiB / 1024) },
    copyS3: { seconds: round(corral.seconds), copySeconds: round(copied.seconds), objectsPerSecond: Math.round(corralRate), peakRssMiB: round(copied.maxRssKiB / 1024) },
    ratio: round(corralRate / cliRate),
    note: "both bounded by the sandbox's S3 (one Node process doing every copy on this machine)",
  };
  console.log(`aws s3 sync: ${result.awsCliSync.objectsPerSecond} objects/s, peak RSS ${result.awsCliSync.peakRssMiB} MiB`);
  console.log(`copyS3:      ${result.copyS3.objectsPerSecond} objects/s, peak RSS ${result.copyS3.peakRssMiB} MiB`);
  console.log(`ratio copyS3 / aws s3 sync: ${result.ratio}`);
  await mkdir("bench/results", { recursive: true });
  await writeFile("bench/results/data-s3.json", `${JSON.stringify(result, null, 2)}\n`);
}

/** Runs a program to its end: wall time, output, and its peak RSS from /proc (VmHWM, read until it exits). */
function measure(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; seconds: number; stdout: string; stderr: string; peakRssKiB: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(program, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, vmHwm(child.pid));
    }, 50);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ code, seconds: (performance.now() - started) / 1000, stdout, stderr, peakRssKiB: peak });
    });
  });
}

function vmHwm(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

runBench(main, async () => {
  await sandbox?.stop();
});
