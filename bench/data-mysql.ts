import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { runBench } from "./support/run-bench";
import { benchNumber } from "./support/run-env";

// Issue 13's figure for the MySQL copier: one source database of ~1,000,000 rows (~200 MB) over
// four tables, copied into an empty target three ways in one run: the baseline
// `mysqldump --single-transaction --quick | mysql`, copyMysql, and copyMysql masking two text
// columns with HMAC-SHA256. Each copy runs in a child process of its own, so its peak RSS is its
// own (the baseline's is mysqldump's and mysql's). The source is seeded once with INSERT … SELECT
// from MariaDB's sequence tables and kept between runs.

const ROOT = path.resolve(import.meta.dirname, "..");
const SCALE = benchNumber("BENCH_MYSQL_SCALE", 1);
const PARALLELISM = benchNumber("BENCH_MYSQL_PARALLELISM", 4);
const SOURCE = "h1_bench_src";
// Target databases' prefix: several people may run the bench on one server, each into their own.
const TARGET_PREFIX = process.env.BENCH_MYSQL_TARGET_PREFIX ?? "h1_bench";
if (!/^[a-z0-9_]+$/.test(TARGET_PREFIX)) throw new Error(`BENCH_MYSQL_TARGET_PREFIX must be [a-z0-9_]+, not ${TARGET_PREFIX}`);
const TARGETS = { baseline: `${TARGET_PREFIX}_dump`, copy: `${TARGET_PREFIX}_copy`, masked: `${TARGET_PREFIX}_masked` } as const;
const SEED_VERSION = `v1-scale-${SCALE}`;
const USERS = Math.round(250_000 * SCALE);

const TABLES: Record<string, { rows: number; create: string; fill: (n: number) => string }> = {
  users: {
    rows: 250_000,
    create: "id INT PRIMARY KEY, email VARCHAR(128) NOT NULL, name VARCHAR(64) NOT NULL, bio TEXT, created DATETIME(6) NOT NULL, score DECIMAL(12,4), KEY (email)",
    fill: (n) => `INSERT INTO users SELECT seq, CONCAT('user', seq, '@example.com'), CONCAT('Name ', MD5(seq)), REPEAT(SHA2(seq, 256), 4), '2024-01-01' + INTERVAL seq SECOND, seq / 7 FROM seq_1_to_${n}`,
  },
  orders: {
    rows: 400_000,
    create: "id INT PRIMARY KEY, user_id INT NOT NULL, total DECIMAL(12,2) NOT NULL, status VARCHAR(16) NOT NULL, note VARCHAR(255), placed DATETIME NOT NULL, KEY (user_id), KEY (placed)",
    fill: (n) => `INSERT INTO orders SELECT seq, 1 + seq % ${USERS}, (seq % 100000) / 100, ELT(1 + seq % 4, 'new', 'paid', 'sent', 'done'), IF(seq % 3 = 0, NULL, CONCAT('note ', SHA2(seq, 256))), '2024-01-01' + INTERVAL seq MINUTE FROM seq_1_to_${n}`,
  },
  events: {
    rows: 250_000,
    create: "id BIGINT PRIMARY KEY, user_id INT NOT NULL, kind VARCHAR(32) NOT NULL, payload JSON, at TIMESTAMP(3) NULL, KEY (user_id, at)",
    fill: (n) => `INSERT INTO events SELECT seq, 1 + seq % ${USERS}, ELT(1 + seq % 3, 'click', 'view', 'buy'), JSON_OBJECT('seq', seq, 'hash', MD5(seq), 'path', CONCAT('/p/', seq % 977)), FROM_UNIXTIME(1700000000 + seq) FROM seq_1_to_${n}`,
  },
  files: {
    rows: 100_000,
    create: "id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, digest BINARY(32) NOT NULL, body BLOB",
    fill: (n) => `INSERT INTO files SELECT seq, CONCAT('file-', seq, '.bin'), UNHEX(SHA2(seq, 256)), UNHEX(REPEAT(SHA2(seq, 512), 6)) FROM seq_1_to_${n}`,
  },
};

const cleanups: (() => Promise<void>)[] = [];
runBench(process.argv[2] === "--child" ? child : main, async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function main() {
  const { ensureLocalMariadb, adminConnection, freshMysqlDatabase, dropMysqlDatabase } = await import("../test/support/mariadb");
  await ensureLocalMariadb();
  const seedStarted = performance.now();
  const seeded = await seed(adminConnection);
  console.log(seeded ? `seeded ${SOURCE} in ${round2((performance.now() - seedStarted) / 1000)} s` : `reusing ${SOURCE}`);
  const admin = await adminConnection(SOURCE);
  const [sizes] = await admin.query("SELECT SUM(TABLE_ROWS) AS r, SUM(DATA_LENGTH + INDEX_LENGTH) AS b, SUM(DATA_LENGTH) AS d FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", [SOURCE]);
  await admin.end();
  const size = (sizes as { r: string; b: string; d: string }[])[0]!;
  const rows = Object.values(TABLES).reduce((a, t) => a + Math.round(t.rows * SCALE), 0);
  console.log(`${rows.toLocaleString("en")} rows, ${mb(Number(size.d))} MB data + indexes ${mb(Number(size.b) - Number(size.d))} MB, ${Object.keys(TABLES).length} tables`);
  cleanups.push(async () => {
    for (const t of Object.values(TARGETS)) await dropMysqlDatabase(t);
  });

  const runs: Record<string, Run> = {};
  await freshMysqlDatabase(TARGETS.baseline);
  await settle(adminConnection);
  runs.baseline = await baseline();
  console.log(line("mysqldump | mysql", runs.baseline, rows));
  for (const kind of ["copy", "masked"] as const) {
    await freshMysqlDatabase(TARGETS[kind]);
    await settle(adminConnection);
    runs[kind] = await inChild(kind);
    console.log(line(kind === "copy" ? "copyMysql" : "copyMysql masked", runs[kind], rows));
  }
  const result = {
    bench: "data-mysql",
    at: new Date().toISOString(),
    setup: {
      server: "the machine's MariaDB 10.11 over loopback, source and targets on the same server (2 cores)",
      rows,
      dataMB: mb(Number(size.d)),
      indexMB: mb(Number(size.b) - Number(size.d)),
      tables: Object.fromEntries(Object.entries(TABLES).map(([n, t]) => [n, Math.round(t.rows * SCALE)])),
      parallelism: PARALLELISM,
      baseline: "mysqldump --single-transaction --quick --routines --triggers | mysql (one spawned pipe, password via MYSQL_PWD)",
      copy: "copyMysql: emptying, schema, LOAD DATA LOCAL INFILE streams per table in parallel, triggers, FK check, rows+checksum verification of every table",
      masked: "the same with a mask factory HMAC-SHA256ing users.email and users.name",
      peakRss: "copies: the child process's maxRSS; baseline: mysqldump's and mysql's, from /usr/bin/time",
    },
    results: runs,
    ratios: {
      copyVsBaseline: round4(runs.copy!.seconds / runs.baseline!.seconds),
      maskedVsBaseline: round4(runs.masked!.seconds / runs.baseline!.seconds),
    },
    goal: "copyMysql faster than mysqldump | mysql",
    met: runs.copy!.seconds < runs.baseline!.seconds,
  };
  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench", "results", "data-mysql.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  time ratio vs baseline: copy ${result.ratios.copyVsBaseline}, masked ${result.ratios.maskedVsBaseline} — goal ${result.met ? "met" : "NOT met"}`);
}

interface Run {
  seconds: number;
  rowsPerSecond?: number;
  peakRssMB: Record<string, number>;
  verification?: { ok: boolean; tables: number };
  snapshot?: string;
}

async function seed(adminConnection: typeof import("../test/support/mariadb").adminConnection): Promise<boolean> {
  const c = await adminConnection();
  try {
    const [marker] = await c.query("SELECT TABLE_COMMENT AS v FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'seeded'", [SOURCE]);
    if ((marker as { v: string }[])[0]?.v === SEED_VERSION) return false;
    await c.query(`DROP DATABASE IF EXISTS ${SOURCE}`);
    await c.query(`CREATE DATABASE ${SOURCE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await c.query(`USE ${SOURCE}`);
    for (const [name, t] of Object.entries(TABLES)) {
      await c.query(`CREATE TABLE ${name} (${t.create}) ENGINE=InnoDB`);
      await c.query(t.fill(Math.round(t.rows * SCALE)));
    }
    await c.query("ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id)");
    await c.query(`CREATE TABLE seeded (id INT) COMMENT = '${SEED_VERSION}'`);
    await c.query("ANALYZE TABLE users, orders, events, files");
    return true;
  } finally {
    await c.end();
  }
}

/**
 * Waits (at most a minute) until InnoDB has written out what the previous run left dirty in its
 * buffer pool, so that no run pays for the flushing of the one before it.
 */
async function settle(adminConnection: typeof import("../test/support/mariadb").adminConnection): Promise<void> {
  const c = await adminConnection();
  const started = performance.now();
  try {
    for (;;) {
      const [rows] = await c.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total')");
      const status = Object.fromEntries((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, Number(r.Value)]));
      const dirty = status.Innodb_buffer_pool_pages_dirty! / status.Innodb_buffer_pool_pages_total!;
      if (dirty < 0.02 || performance.now() - started > 60_000) {
        console.log(`  (server settled in ${round2((performance.now() - started) / 1000)} s, ${Math.round(dirty * 100)}% of the buffer pool dirty)`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await c.end();
  }
}

/** mysqldump | mysql, spawned with argument arrays and a pipe; the password in MYSQL_PWD, never argv. */
async function baseline(): Promise<Run> {
  const { mysqlAdmin } = await import("../test/support/mariadb");
  const a = mysqlAdmin();
  const conn = ["-h", a.host, "-P", String(a.port), "-u", a.user];
  const env = { ...process.env, MYSQL_PWD: a.password };
  const started = performance.now();
  const dump = spawn("/usr/bin/time", ["-f", "peak-kb %M", "mysqldump", ...conn, "--single-transaction", "--quick", "--routines", "--triggers", SOURCE], { env, stdio: ["ignore", "pipe", "pipe"] });
  const load = spawn("/usr/bin/time", ["-f", "peak-kb %M", "mysql", ...conn, TARGETS.baseline], { env, stdio: ["pipe", "ignore", "pipe"] });
  dump.stdout.pipe(load.stdin);
  const [dumpPeak, loadPeak] = await Promise.all([finished(dump, "mysqldump"), finished(load, "mysql")]);
  const seconds = (performance.now() - started) / 1000;
  return { seconds: round2(seconds), peakRssMB: { mysqldump: dumpPeak, mysql: loadPeak } };
}

function finished(p: ReturnType<typeof spawn>, name: string): Promise<number> {
  let err = "";
  p.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    p.on("close", (code) => {
      const peak = /peak-kb (\d+)/.exec(err);
      if (code !== 0) return reject(new Error(`${name} exited ${code}: ${err.slice(-500)}`));
      resolve(peak ? round2(Number(peak[1]) / 1024) : NaN);
    });
  });
}

/** One copy in a child process of its own, so that its peak RSS is its own. */
function inChild(kind: "copy" | "masked"): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, import.meta.filename, "--child", kind], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.on("close", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`${kind} child exited ${code}: ${out.slice(-500)}`));
      resolve(JSON.parse(last) as Run);
    });
  });
}

async function child() {
  const kind = process.argv[3] as "copy" | "masked";
  const { mysqlAdmin } = await import("../test/support/mariadb");
  const { copyMysql } = await import("../lib/data/mysql/copy-mysql");
  const key = "bench-key";
  const mask: import("../lib/data/types").MysqlMaskFactory = (table, columns) => {
    if (table !== "users") return null;
    const masked = new Set(["email", "name"].map((n) => columns.findIndex((c) => c.name === n)));
    return (row) => row.map((v, i) => (masked.has(i) && typeof v === "string" ? createHmac("sha256", key).update(v).digest("hex") : v));
  };
  const started = performance.now();
  const result = await copyMysql({ source: mysqlAdmin(SOURCE), target: mysqlAdmin(TARGETS[kind]), parallelism: PARALLELISM, mask: kind === "masked" ? mask : undefined });
  const seconds = (performance.now() - started) / 1000;
  const run: Run = {
    seconds: round2(seconds),
    rowsPerSecond: Math.round(result.unitsCopied / seconds),
    peakRssMB: { node: round2(process.resourceUsage().maxRSS / 1024) },
    verification: { ok: result.verification.ok, tables: result.verification.items.filter((i) => i.measure === "rows").length },
    snapshot: result.snapshot,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

function line(name: string, run: Run, rows: number): string {
  const peak = Object.entries(run.peakRssMB).map(([k, v]) => `${k} ${v} MB`).join(", ");
  return `  ${name.padEnd(20)} ${String(run.seconds).padStart(7)} s  ${Math.round(rows / run.seconds).toLocaleString("en").padStart(9)} rows/s  peak RSS ${peak}`;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
