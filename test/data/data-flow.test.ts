import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxCredentials } from "@/sandbox/client-config";
import { callRoute } from "../support/call-route";
import { eventually } from "../support/eventually";
import { adminConnection, dropMysqlDatabase, ensureLocalMariadb, freshMysqlDatabase, mysqlAdmin } from "../support/mariadb";
import { ensureLocalRedis, redisClient, redisEndpoint } from "../support/redis";
import { startWorkerWorld } from "../support/world";

// Issue 13 end to end through the route handlers, on the machine's MariaDB and Redis and the
// sandbox's S3: data sources with sealed secrets, an environment's own stores made from its
// template and delivered as a Secret, masked copies from protected sources (only for leads),
// verification, and the stores dropped with the environment.

const SRC_DB = "t_flow_src";
const RO_USER = "t_flow_ro";
const RO_PASSWORD = "ro-Pa55-never-shown";
const ADMIN_SECRET_MARK = "never-in-a-response";
const REDIS_DB = 2; // test/support/redis.ts: platform tests take 1–3
const NS = "data-flow";

let world: Awaited<ReturnType<typeof startWorkerWorld>>;
let routes: {
  sources: typeof import("@/app/api/v1/data-sources/route");
  source: typeof import("@/app/api/v1/data-sources/[id]/route");
  test: typeof import("@/app/api/v1/data-sources/[id]/test/route");
  rules: typeof import("@/app/api/v1/data-sources/[id]/masking-rules/route");
  inspect: typeof import("@/app/api/v1/data-sources/[id]/inspect/route");
  preview: typeof import("@/app/api/v1/data-sources/[id]/masking-preview/route");
  cancel: typeof import("@/app/api/v1/environments/[id]/jobs/[jobId]/cancel/route");
  templates: typeof import("@/app/api/v1/templates/route");
  environments: typeof import("@/app/api/v1/environments/route");
  environment: typeof import("@/app/api/v1/environments/[id]/route");
  data: typeof import("@/app/api/v1/environments/[id]/data/route");
  copies: typeof import("@/app/api/v1/environments/[id]/data/copies/route");
};
let admin: { headers: Record<string, string> };
let lead: { headers: Record<string, string> };
let dev: { headers: Record<string, string> };
let s3: S3Client;
const ids: Record<string, string> = {};
let envId = "";

beforeAll(async () => {
  await Promise.all([ensureLocalMariadb(), ensureLocalRedis()]);
  world = await startWorkerWorld("dataflow");
  const mods = await Promise.all([
    import("@/app/api/v1/data-sources/route"),
    import("@/app/api/v1/data-sources/[id]/route"),
    import("@/app/api/v1/data-sources/[id]/test/route"),
    import("@/app/api/v1/data-sources/[id]/masking-rules/route"),
    import("@/app/api/v1/templates/route"),
    import("@/app/api/v1/environments/route"),
    import("@/app/api/v1/environments/[id]/route"),
    import("@/app/api/v1/environments/[id]/data/route"),
    import("@/app/api/v1/environments/[id]/data/copies/route"),
    import("../support/sign-in"),
    import("@/app/api/v1/data-sources/[id]/inspect/route"),
    import("@/app/api/v1/data-sources/[id]/masking-preview/route"),
    import("@/app/api/v1/environments/[id]/jobs/[jobId]/cancel/route"),
  ]);
  routes = { sources: mods[0], source: mods[1], test: mods[2], rules: mods[3], templates: mods[4], environments: mods[5], environment: mods[6], data: mods[7], copies: mods[8], inspect: mods[10], preview: mods[11], cancel: mods[12] };
  const signedIn = mods[9].signedIn;
  [admin, lead, dev] = await Promise.all([signedIn("admin"), signedIn("lead"), signedIn("developer")]);

  // The "production" database, read through a user with read grants only.
  await freshMysqlDatabase(SRC_DB);
  const c = await adminConnection(SRC_DB);
  await c.query(`
    CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL, full_name VARCHAR(200) NOT NULL, note TEXT, phone VARCHAR(40));
    CREATE TABLE orders (id INT PRIMARY KEY, user_id INT NOT NULL, email VARCHAR(200) NOT NULL, total DECIMAL(10,2), FOREIGN KEY (user_id) REFERENCES users(id));
  `);
  await c.query("INSERT INTO users VALUES ?", [Array.from({ length: 50 }, (_, i) => [i + 1, `user${i}@shop.example`, `Person ${i}`, i % 5 === 0 ? null : `note ${i} ✓`, `+44 20 7946 ${1000 + i}`])]);
  await c.query("INSERT INTO orders VALUES ?", [Array.from({ length: 120 }, (_, i) => [i + 1, 1 + (i % 50), `user${i % 50}@shop.example`, (i * 1.5).toFixed(2)])]);
  await c.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [RO_USER, RO_PASSWORD]);
  await c.query("ALTER USER ?@'%' IDENTIFIED BY ?", [RO_USER, RO_PASSWORD]);
  await c.query(`GRANT SELECT, SHOW VIEW, TRIGGER, EXECUTE ON \`${SRC_DB}\`.* TO ?@'%'`, [RO_USER]);
  await c.end();

  const r = redisClient(REDIS_DB);
  await r.flushdb();
  for (let i = 0; i < 20; i++) await r.hset(`src:session:${i}`, { email: `user${i}@shop.example`, cart: String(i) });
  await r.set("src:counter", "42", "EX", 3_600);
  r.disconnect();

  s3 = new S3Client({ endpoint: world.sandbox.s3.url, region: "us-east-1", forcePathStyle: true, credentials: sandboxCredentials });
  for (const bucket of ["flow-src", "flow-stores"]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (let i = 0; i < 12; i++) await s3.send(new PutObjectCommand({ Bucket: "flow-src", Key: `assets/file ${i}.txt`, Body: `file ${i}`, ContentType: "text/plain" }));
}, 120_000);

afterAll(async () => {
  await world?.stop();
  await dropMysqlDatabase(SRC_DB).catch(() => {});
  const c = await adminConnection().catch(() => null);
  await c?.query("DROP USER IF EXISTS ?@'%'", [RO_USER]);
  await c?.end();
  s3?.destroy();
});

async function register(body: Record<string, unknown>) {
  const res = await callRoute(routes.sources.POST, { method: "POST", body, headers: admin.headers });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  ids[String(body.name)] = res.body.id as string;
  return res.body;
}

async function untilCopy(copyId: string) {
  return eventually(async () => {
    const res = await callRoute(routes.data.GET, { params: { id: envId }, headers: dev.headers });
    const copy = (res.body.copies as { id: string; status: string }[]).find((c) => c.id === copyId);
    return copy && ["succeeded", "failed", "cancelled"].includes(copy.status) ? (copy as Record<string, any>) : null;
  }, "the copy to end", 60_000);
}

describe("data sources", () => {
  it("are registered with their secret sealed, never answered, and tested in plain words", async () => {
    const root = mysqlAdmin();
    await register({ name: "stores-mysql", kind: "mysql", protected: false, storeHost: true, host: root.host, port: root.port, username: root.user, secret: root.password });
    const made = await register({ name: "prod-db", kind: "mysql", host: root.host, port: root.port, username: RO_USER, secret: RO_PASSWORD, database: SRC_DB });
    expect(made).toMatchObject({ protected: true, hasSecret: true });
    expect(JSON.stringify(made)).not.toContain(RO_PASSWORD);
    const row = await world.db.dataSource.findUniqueOrThrow({ where: { id: ids["prod-db"] } });
    expect(row.secretEncrypted).toMatch(/^v1:test:/);
    expect(row.secretEncrypted).not.toContain(RO_PASSWORD);
    const listed = await callRoute(routes.sources.GET, { headers: admin.headers });
    expect(JSON.stringify(listed.body)).not.toContain(RO_PASSWORD);
    const audit = await world.db.auditEvent.findMany({ where: { targetType: "data-source" } });
    expect(JSON.stringify(audit)).not.toContain(RO_PASSWORD);

    const ok = await callRoute(routes.test.POST, { method: "POST", params: { id: ids["prod-db"]! }, headers: admin.headers });
    expect(ok.body).toMatchObject({ ok: true, problem: null });
    expect(ok.body.summary).toMatch(/2 tables/);

    const bad = await register({ name: "wrong-password", kind: "mysql", host: root.host, port: root.port, username: RO_USER, secret: `${ADMIN_SECRET_MARK}-x`, database: SRC_DB });
    const refused = await callRoute(routes.test.POST, { method: "POST", params: { id: bad.id as string }, headers: admin.headers });
    expect(refused.body.ok).toBe(false);
    expect(refused.body.problem).toMatch(/access denied/i);
    expect(JSON.stringify(refused.body)).not.toContain(ADMIN_SECRET_MARK);
    const unreachable = await register({ name: "nobody-home", kind: "mysql", host: "127.0.0.1", port: 1, username: "x", database: "x" });
    const down = await callRoute(routes.test.POST, { method: "POST", params: { id: unreachable.id as string }, headers: admin.headers });
    expect(down.body.problem).toMatch(/cannot reach|unreachable|refused/i);
  });

  it("refuse bad input by field, a protected store host, and people who are not admins", async () => {
    const res = await callRoute(routes.sources.POST, { method: "POST", body: { name: "Bad Name", kind: "mysql", storeHost: true, protected: true, port: 70000 }, headers: admin.headers });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details as object)).toEqual(expect.arrayContaining(["name", "port"]));
    const both = await callRoute(routes.sources.POST, { method: "POST", body: { name: "both", kind: "redis", host: "127.0.0.1", storeHost: true, protected: true }, headers: admin.headers });
    expect(both.body.error.details.storeHost[0]).toMatch(/cannot be protected/);
    expect((await callRoute(routes.sources.POST, { method: "POST", body: { name: "x", kind: "redis", host: "h" }, headers: lead.headers })).status).toBe(403);
    // Those who copy see what to choose, nothing to connect with; never store hosts.
    const seen = await callRoute(routes.sources.GET, { headers: dev.headers });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).not.toMatch(/"host"|"username"|stores-mysql/);
  });
});

describe("an environment's stores and copies", () => {
  beforeAll(async () => {
    const redis = redisEndpoint(REDIS_DB);
    await register({ name: "stores-redis", kind: "redis", protected: false, storeHost: true, host: redis.host, port: redis.port, redisDb: REDIS_DB });
    await register({ name: "prod-cache", kind: "redis", host: redis.host, port: redis.port, redisDb: REDIS_DB, prefix: "src:" });
    const s3Common = { kind: "s3", endpoint: world.sandbox.s3.url, region: "us-east-1", username: sandboxCredentials.accessKeyId, secret: sandboxCredentials.secretAccessKey };
    await register({ ...s3Common, name: "stores-s3", protected: false, storeHost: true, bucket: "flow-stores" });
    await register({ ...s3Common, name: "assets", protected: false, bucket: "flow-src", prefix: "assets/" });
    const rules = await callRoute(routes.rules.PUT, {
      method: "PUT",
      params: { id: ids["prod-db"]! },
      body: { columns: [{ table: "users", column: "email", kind: "email" }, { table: "users", column: "full_name", kind: "name" }, { table: "orders", column: "email", kind: "email" }], redis: [] },
      headers: admin.headers,
    });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    expect((await callRoute(routes.rules.PUT, { method: "PUT", params: { id: ids["prod-cache"]! }, body: { columns: [], redis: [{ keyPattern: "src:session:*", hashField: "email", kind: "email" }] }, headers: admin.headers })).status).toBe(200);

    const template = await callRoute(routes.templates.POST, {
      method: "POST",
      body: { name: "with-data", dataStores: ["mysql", "redis", "s3"], components: [{ name: "api", repository: "acme/api", defaultTag: "1.0.0", port: 8080 }] },
      headers: admin.headers,
    });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    const created = await callRoute(routes.environments.POST, { method: "POST", body: { name: NS, template: "with-data" }, headers: dev.headers });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    envId = created.body.id as string;
    await eventually(async () => (await world.db.environment.findUniqueOrThrow({ where: { id: envId } })).status === "ready", "the environment to be ready", 30_000);
  }, 90_000);

  it("flags personal-looking columns without a rule before a copy, and previews rules on sample rows", async () => {
    const inspected = await callRoute(routes.inspect.GET, { params: { id: ids["prod-db"]! }, headers: lead.headers });
    expect(inspected.status, JSON.stringify(inspected.body)).toBe(200);
    expect((inspected.body.tables as { table: string }[]).map((t) => t.table)).toEqual(["orders", "users"]);
    expect(inspected.body.unmaskedPersonal).toEqual([{ table: "users", column: "phone", why: expect.stringMatching(/phone/i) as unknown }]);
    expect(inspected.body.ruleProblems).toEqual([]);
    const preview = await callRoute(routes.preview.POST, {
      method: "POST",
      params: { id: ids["prod-db"]! },
      body: { table: "users", columns: [{ table: "users", column: "phone", kind: "hash-id" }] },
      headers: admin.headers,
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const phone = (preview.body.columns as string[]).indexOf("phone");
    expect(preview.body.masked).toEqual(["phone"]);
    const [before, after] = [preview.body.before[0][phone] as string, preview.body.after[0][phone] as string];
    expect(after).not.toBe(before);
    expect(after).toMatch(/^\+\d\d \d\d \d{4} \d{4}$/); // the look of a phone number kept
    expect((await callRoute(routes.preview.POST, { method: "POST", params: { id: ids["prod-db"]! }, body: { table: "users", columns: [] }, headers: lead.headers })).status).toBe(403);
  });

  it("gets a database, a Redis prefix and an S3 prefix, each ready, and their credentials as a Secret", async () => {
    const res = await callRoute(routes.data.GET, { params: { id: envId }, headers: dev.headers });
    expect((res.body.stores as { kind: string; status: string }[]).map((s) => [s.kind, s.status])).toEqual([["mysql", "ready"], ["redis", "ready"], ["s3", "ready"]]);
    const secret = await world.core.readNamespacedSecret({ name: "corral-data", namespace: NS });
    const vars = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
    expect(vars).toMatchObject({ MYSQL_HOST: mysqlAdmin().host, REDIS_DB: String(REDIS_DB), S3_BUCKET: "flow-stores" });
    // The store's own user works in its own database and sees no other.
    const own = await mysql.createConnection({ host: vars.MYSQL_HOST, port: Number(vars.MYSQL_PORT), user: vars.MYSQL_USER, password: vars.MYSQL_PASSWORD, database: vars.MYSQL_DATABASE });
    await own.query("CREATE TABLE probe (id INT)");
    const [dbs] = await own.query<mysql.RowDataPacket[]>("SHOW DATABASES");
    expect(dbs.map((d) => d.Database as string).filter((d) => d !== "information_schema")).toEqual([vars.MYSQL_DATABASE]);
    await own.end();
    expect(JSON.stringify(res.body)).not.toContain(vars.MYSQL_PASSWORD!);
  });

  it("copies from a protected source only for leads, masked, verified, the same twice, joins kept", async () => {
    const ask = (who: { headers: Record<string, string> }, body: Record<string, unknown>) => callRoute(routes.copies.POST, { method: "POST", params: { id: envId }, body: { kind: "mysql", sourceId: ids["prod-db"], confirm: NS, ...body }, headers: who.headers });
    const denied = await ask(dev, {});
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/protected/);
    const unconfirmed = await ask(lead, { confirm: "something-else" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.details.confirm[0]).toContain(NS);

    const masked: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const started = await ask(lead, {});
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.body.masked).toBe(true);
      const done = await untilCopy(started.body.id as string);
      expect(done.status, done.error as string).toBe("succeeded");
      expect(done.verification.ok).toBe(true);
      expect(done.progress).toMatchObject({ phase: "done", unitsDone: 170 });
      const store = await world.db.environmentStore.findFirstOrThrow({ where: { environmentId: envId, kind: "mysql" } });
      expect(store.incomplete).toBe(false);
      const c = await adminConnection(store.name);
      const [users] = await c.query<mysql.RowDataPacket[]>("SELECT id, email, full_name, note FROM users ORDER BY id");
      const [joined] = await c.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM orders o JOIN users u ON u.email = o.email");
      await c.end();
      expect(users).toHaveLength(50);
      expect(users[1]!.email).not.toBe("user1@shop.example");
      expect(users[1]!.email).toMatch(/@shop\.example$/);
      expect(users[1]!.full_name).not.toBe("Person 1");
      expect(users[1]!.note).toBe("note 1 ✓");
      expect(Number(joined[0]!.n)).toBe(120); // masked alike in both tables: the join still matches
      masked.push(users.map((u) => `${u.email}|${u.full_name}`));
    }
    expect(masked[1]).toEqual(masked[0]);
    // The source is as it was: read only, with read grants only.
    const c = await adminConnection(SRC_DB);
    const [first] = await c.query<mysql.RowDataPacket[]>("SELECT email FROM users WHERE id = 2");
    await c.end();
    expect(first[0]!.email).toBe("user1@shop.example");
  });

  it("refuses a row filter that reaches beyond the row, and shows production's tables only to those who may copy it", async () => {
    const injected = await callRoute(routes.copies.POST, {
      method: "POST",
      params: { id: envId },
      body: { kind: "mysql", sourceId: ids["prod-db"], confirm: NS, tables: ["users"], rowFilters: { users: "0) UNION ALL SELECT user, password, 1, 2, 3 FROM mysql.user WHERE (1" } },
      headers: lead.headers,
    });
    expect(injected.status).toBe(400);
    expect(injected.body.error.details["rowFilters.users"][0]).toMatch(/refused: (its parentheses do not match|it uses UNION)/);
    const subquery = await callRoute(routes.copies.POST, {
      method: "POST",
      params: { id: envId },
      body: { kind: "mysql", sourceId: ids["prod-db"], confirm: NS, tables: ["users"], rowFilters: { users: "id IN (SELECT id FROM mysql.user)" } },
      headers: lead.headers,
    });
    expect(subquery.body.error.details["rowFilters.users"][0]).toMatch(/it uses SELECT/);
    const peek = await callRoute(routes.inspect.GET, { params: { id: ids["prod-db"]! }, headers: dev.headers });
    expect(peek.status).toBe(403);
    expect(peek.body.error.message).toMatch(/protected/);
  });

  it("settles a copy whose job ended without it (cancelled while queued), so the next one may start", async () => {
    const user = await world.db.user.findFirstOrThrow({ where: { role: "developer" }, orderBy: { createdAt: "desc" } });
    const job = await world.db.job.create({ data: { kind: "data-copy", environmentId: envId, status: "cancelled", error: "Cancelled (request)." } });
    const stale = await world.db.dataCopy.create({ data: { environmentId: envId, kind: "s3", sourceId: ids.assets, requestedById: user.id, status: "pending", jobId: job.id } });
    const started = await callRoute(routes.copies.POST, { method: "POST", params: { id: envId }, body: { kind: "s3", sourceId: ids.assets, confirm: NS }, headers: dev.headers });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(await world.db.dataCopy.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({ status: "cancelled", error: "Cancelled (request)." });
    expect((await untilCopy(started.body.id as string)).status).toBe("succeeded");
  });

  it("copies Redis (masked hash fields) and S3 (as they are) into the environment's prefixes", async () => {
    const redisCopy = await callRoute(routes.copies.POST, { method: "POST", params: { id: envId }, body: { kind: "redis", sourceId: ids["prod-cache"], confirm: NS }, headers: lead.headers });
    expect(redisCopy.status, JSON.stringify(redisCopy.body)).toBe(202);
    const s3Copy = await callRoute(routes.copies.POST, { method: "POST", params: { id: envId }, body: { kind: "s3", sourceId: ids.assets, confirm: NS }, headers: dev.headers });
    expect(s3Copy.status, JSON.stringify(s3Copy.body)).toBe(202);
    for (const id of [redisCopy.body.id, s3Copy.body.id] as string[]) {
      const done = await untilCopy(id);
      expect(done.status, done.error as string).toBe("succeeded");
      expect(done.verification.ok).toBe(true);
    }
    const stores = await world.db.environmentStore.findMany({ where: { environmentId: envId } });
    const redisStore = stores.find((s) => s.kind === "redis")!;
    const r = redisClient(REDIS_DB);
    const email = await r.hget(`${redisStore.name}session:3`, "email");
    const cart = await r.hget(`${redisStore.name}session:3`, "cart");
    expect(email).toMatch(/@shop\.example$/);
    expect(email).not.toBe("user3@shop.example");
    expect(cart).toBe("3");
    expect(await r.pttl(`${redisStore.name}counter`)).toBeGreaterThan(0);
    r.disconnect();
    const s3Store = stores.find((s) => s.kind === "s3")!;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "flow-stores", Prefix: s3Store.name }));
    expect(listed.KeyCount).toBe(12);
  });

  it("leaves the store marked incomplete when a copy is cancelled, and complete after the next", async () => {
    for (let i = 0; i < 150; i++) await s3.send(new PutObjectCommand({ Bucket: "flow-src", Key: `assets/many/${i}.bin`, Body: Buffer.alloc(64, i) }));
    world.sandbox.setFaults("s3", { latencyMs: 150 });
    try {
      const started = await callRoute(routes.copies.POST, { method: "POST", params: { id: envId }, body: { kind: "s3", sourceId: ids.assets, confirm: NS }, headers: dev.headers });
      expect(started.status).toBe(202);
      const copyId = started.body.id as string;
      await eventually(async () => {
        const copy = await world.db.dataCopy.findUniqueOrThrow({ where: { id: copyId } });
        return copy.status === "running" && ((copy.progress as { unitsDone?: number }).unitsDone ?? 0) > 0;
      }, "the copy to be under way", 30_000);
      const cancelled = await callRoute(routes.cancel.POST, { method: "POST", params: { id: envId, jobId: started.body.jobId as string }, headers: dev.headers });
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBeLessThan(300);
      const done = await untilCopy(copyId);
      expect(done.status).toBe("cancelled");
      expect(done.error).toMatch(/holds part of the data/);
    } finally {
      world.sandbox.clearFaults();
    }
    expect((await world.db.environmentStore.findFirstOrThrow({ where: { environmentId: envId, kind: "s3" } })).incomplete).toBe(true);
    const again = await callRoute(routes.copies.POST, { method: "POST", params: { id: envId }, body: { kind: "s3", sourceId: ids.assets, confirm: NS }, headers: dev.headers });
    expect((await untilCopy(again.body.id as string)).status).toBe("succeeded");
    expect((await world.db.environmentStore.findFirstOrThrow({ where: { environmentId: envId, kind: "s3" } })).incomplete).toBe(false);
  });

  it("waits out S3 failing: the copy says why it waits, follows its next job, and finishes once S3 answers again", async () => {
    world.sandbox.setFaults("s3", { errorRate: 1 });
    let copyId = "";
    let firstJob = "";
    try {
      const started = await callRoute(routes.copies.POST, { method: "POST", params: { id: envId }, body: { kind: "s3", sourceId: ids.assets, confirm: NS }, headers: dev.headers });
      expect(started.status).toBe(202);
      copyId = started.body.id as string;
      firstJob = started.body.jobId as string;
      const waiting = await eventually(async () => {
        const copy = await world.db.dataCopy.findUniqueOrThrow({ where: { id: copyId } });
        return copy.status === "pending" && copy.jobId !== firstJob ? copy : null;
      }, "the copy to wait for its next run", 30_000);
      expect(waiting.error).toMatch(/S3 is unavailable or throttling .*; trying again from the start, attempt \d+, in \d+ s$/);
    } finally {
      world.sandbox.clearFaults();
    }
    const done = await untilCopy(copyId);
    expect(done.status, done.error as string).toBe("succeeded");
    // The run that met the failure is recorded as such, not as a give-up of the copy.
    expect((await world.db.job.findUniqueOrThrow({ where: { id: firstJob } })).error).toMatch(/; trying again in \d+ s \(attempt 1\)\.$/);
  });

  it("drops every store when the environment is destroyed", async () => {
    const stores = await world.db.environmentStore.findMany({ where: { environmentId: envId } });
    const res = await callRoute(routes.environment.DELETE, { method: "DELETE", params: { id: envId }, headers: dev.headers });
    expect(res.status).toBe(202);
    await eventually(async () => (await world.db.environment.findUniqueOrThrow({ where: { id: envId } })).status === "destroyed", "the environment to be destroyed", 60_000);
    expect(await world.db.environmentStore.count({ where: { environmentId: envId } })).toBe(0);
    const c = await adminConnection();
    const mysqlStore = stores.find((s) => s.kind === "mysql")!;
    const [dbs] = await c.query<mysql.RowDataPacket[]>("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [mysqlStore.name]);
    const [users] = await c.query<mysql.RowDataPacket[]>("SELECT User FROM mysql.user WHERE User = ?", [mysqlStore.username]);
    await c.end();
    expect(dbs).toHaveLength(0);
    expect(users).toHaveLength(0);
    const r = redisClient(REDIS_DB);
    const redisStore = stores.find((s) => s.kind === "redis")!;
    expect((await r.scan("0", "MATCH", `${redisStore.name}*`, "COUNT", 1000))[1]).toEqual([]);
    expect(await r.call("ACL", "GETUSER", redisStore.username!)).toBeNull();
    r.disconnect();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "flow-stores", Prefix: stores.find((s) => s.kind === "s3")!.name }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });
});
