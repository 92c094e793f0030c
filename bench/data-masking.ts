import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createMysqlMasker } from "../lib/data/masking/mysql-masker";
import type { ColumnInfo } from "../lib/data/types";
import { benchNumber } from "./support/run-env";

// What masking costs the MySQL copier per row: 1,000,000 rows of 6 columns (a users table) through
// the masker with 3 rules (e-mail, name, hash-id of a phone number), against the same rows copied
// untouched (row.slice(), what the copier does without rules). Rows are made up front so both
// sides time only the per-row work; they alternate in rounds so drift on a noisy machine hits both.

const ROWS = benchNumber("BENCH_MASKING_ROWS", 1_000_000);
const ROUNDS = 4;

const columns: ColumnInfo[] = [
  { name: "id", dataType: "int", generated: false, nullable: false },
  { name: "email", dataType: "varchar", generated: false, nullable: false },
  { name: "full_name", dataType: "varchar", generated: false },
  { name: "phone", dataType: "varchar", generated: false },
  { name: "created_at", dataType: "datetime", generated: false },
  { name: "balance", dataType: "decimal", generated: false },
];
const rules = [
  { table: "users", column: "email", kind: "email" as const },
  { table: "users", column: "full_name", kind: "name" as const },
  { table: "users", column: "phone", kind: "hash-id" as const },
];

function main(): void {
  const mask = createMysqlMasker(rules, "bench-installation-secret")("users", columns)!;
  const rows: unknown[][] = Array.from({ length: ROWS }, (_, i) => [
    i + 1,
    `user${i}@example${i % 50}.com`,
    `First${i % 997} Last${i % 1009}`,
    `+33 6 ${String(i % 100_000_000).padStart(8, "0")}`,
    "2024-05-06 07:08:09",
    `${i % 10_000}.${i % 100}`,
  ]);
  const copy = (row: unknown[]) => row.slice();
  const run = (f: (row: unknown[]) => unknown[], from: number, to: number) => {
    let sink = 0;
    const started = performance.now();
    for (let i = from; i < to; i++) sink += f(rows[i]!).length;
    if (sink !== (to - from) * columns.length) throw new Error("a row lost columns");
    return performance.now() - started;
  };
  run(mask, 0, Math.min(10_000, ROWS)); // warm up both
  run(copy, 0, Math.min(10_000, ROWS));
  let maskMs = 0;
  let copyMs = 0;
  const per = Math.floor(ROWS / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    maskMs += run(mask, round * per, (round + 1) * per);
    copyMs += run(copy, round * per, (round + 1) * per);
  }
  const timed = per * ROUNDS;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    rows: timed,
    columns: columns.length,
    rules: rules.map((r) => `${r.column}: ${r.kind}`),
    maskedRowsPerSecond: Math.round(timed / (maskMs / 1000)),
    baselineRowsPerSecond: Math.round(timed / (copyMs / 1000)),
    maskedMicrosPerRow: round2((maskMs * 1000) / timed),
    baselineMicrosPerRow: round2((copyMs * 1000) / timed),
    ratio: round2(maskMs / copyMs),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(JSON.stringify(result, null, 2));
  void writeFile(path.resolve(import.meta.dirname, "results", "data-masking.json"), JSON.stringify(result, null, 2) + "\n");
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

main();
