// The copying process of bench/data-s3.ts: runs copyS3 once and prints its result and its own
// peak RSS as one JSON line. Locations come through the environment, never the arguments.
import { copyS3 } from "../lib/data/s3/copy-s3";
import type { S3Location } from "../lib/data/types";

async function main(): Promise<void> {
  const source = JSON.parse(process.env["BENCH_S3_SOURCE"] ?? "{}") as S3Location;
  const target = JSON.parse(process.env["BENCH_S3_TARGET"] ?? "{}") as S3Location;
  const started = performance.now();
  const result = await copyS3({ source, target, concurrency: Number(process.env["BENCH_CONCURRENCY"] ?? 16) });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, objects: result.itemsCopied, bytes: result.bytesCopied, ok: result.verification.ok, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
