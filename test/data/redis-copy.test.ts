// The Redis copier against the machine's Redis: logical databases 8–11 are this file's
// (test/support/redis.ts shares them out), ACL users start with h2_ and are removed at the end.
import { execFileSync } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isDataProblem } from "@/lib/data/data-problem";
import { COPY_CONNECTION_NAMES, copyRedis } from "@/lib/data/redis/copy-redis";
import { emptyRedisStore } from "@/lib/data/redis/empty-store";
import { createRedisStore, dropRedisStore } from "@/lib/data/redis/redis-store";
import { testRedisConnection } from "@/lib/data/redis/test-connection";
import { ExpiryTally, verifyCopy } from "@/lib/data/redis/verify-copy";
import type { RedisEndpoint, RedisMask, StoreProgress } from "@/lib/data/types";
import { eventually } from "../support/eventually";
import { freePort } from "../support/free-port";
import { ensureLocalRedis, redisClient, redisEndpoint } from "../support/redis";
import { allKeys, readKey } from "./redis-compare";

const SRC = 8;
const DST = 9;
const STORES = 10;
const PASSWORD = "h2-test-password-9f3a";
const USERS = { readOnly: "h2_ro", noDump: "h2_nodump", noAcl: "h2_noacl", store: "h2_store_a" };

let src: Redis;
let dst: Redis;
let stores: Redis;

const as = (db: number, user: string, keyPrefix = ""): RedisEndpoint => ({ ...redisEndpoint(db, keyPrefix), username: user, password: PASSWORD });

beforeAll(async () => {
  await ensureLocalRedis();
  src = redisClient(SRC);
  dst = redisClient(DST);
  stores = redisClient(STORES);
  // Reads only: +@read (which holds DUMP, PTTL, TYPE, SCAN) but KEYS taken away, so a copy that called it would fail.
  await src.call("ACL", "SETUSER", USERS.readOnly, "reset", "on", `>${PASSWORD}`, "~*", "-@all", "+@read", "+select", "+client|setname", "-keys");
  await src.call("ACL", "SETUSER", USERS.noDump, "reset", "on", `>${PASSWORD}`, "~*", "-@all", "+@read", "+select", "+client|setname", "-dump");
  await src.call("ACL", "SETUSER", USERS.noAcl, "reset", "on", `>${PASSWORD}`, "~*", "+@all", "-@admin", "+restore", "+client|setname");
});

afterAll(async () => {
  for (const user of Object.values(USERS)) await src.call("ACL", "DELUSER", user);
  for (const c of [src, dst, stores]) {
    await c.flushdb();
    c.disconnect();
  }
});

beforeEach(async () => {
  await src.flushdb();
  await dst.flushdb();
});

async function seedEveryType(client: Redis, prefix = ""): Promise<void> {
  const k = (s: string) => `${prefix}${s}`;
  const p = client.pipeline();
  p.set(k("str:plain"), "hello");
  p.set(k("str:ttl"), "soon gone", "PX", 120_000);
  p.set(k("str:int"), "12345");
  p.set(Buffer.concat([Buffer.from(k("bin:")), Buffer.from([0x00, 0xff, 0x0a])]), Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x80]));
  p.hset(k("hash:small"), "name", "Ada", "email", "ada@example.com");
  p.hset(k("hash:ttl"), "a", "1");
  p.pexpire(k("hash:ttl"), 90_000);
  p.hset(k("hash:big"), Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`f${i}`, `v${i}`])));
  p.rpush(k("list"), "c", "a", "b", "a");
  p.rpush(k("list:big"), ...Array.from({ length: 5_000 }, (_, i) => `item-${i}`));
  p.sadd(k("set:int"), 3, 1, 2);
  p.sadd(k("set:str"), "x", "y", "z");
  p.zadd(k("zset"), 1.1, "a", 2, "b", "-inf", "low", "+inf", "high");
  p.zadd(k("zset:ttl"), 0.5, "m");
  p.pexpire(k("zset:ttl"), 60_000);
  p.xadd(k("stream"), "1-1", "event", "created");
  p.xadd(k("stream"), "1-2", "event", "updated");
  p.xadd(k("stream"), "2-0", "event", "deleted");
  p.xgroup("CREATE", k("stream"), "workers", "0");
  p.xreadgroup("GROUP", "workers", "w1", "COUNT", 2, "STREAMS", k("stream"), ">");
  await p.exec();
}

async function seedBig(client: Redis, prefix = ""): Promise<void> {
  await client.set(`${prefix}big:string`, Buffer.alloc(50 * 1024 * 1024, 0x61));
  // 200,000 members here (a million copies too, see the bench's notes; the test reads every member twice itself).
  for (let start = 0; start < 200_000; start += 50_000) {
    await client.sadd(`${prefix}big:set`, ...Array.from({ length: 50_000 }, (_, i) => `member-${start + i}`));
  }
}

async function expectSameKeys(from: Redis, to: Redis, o: { fromPrefix?: string; toPrefix?: string; match?: string } = {}): Promise<number> {
  const fromPrefix = Buffer.from(o.fromPrefix ?? "");
  const toPrefix = Buffer.from(o.toPrefix ?? "");
  const sourceKeys = await allKeys(from, o.match ?? "*");
  const targetKeys = await allKeys(to);
  expect(targetKeys.map((k) => k.subarray(toPrefix.length).toString("hex")).sort()).toEqual(sourceKeys.map((k) => k.subarray(fromPrefix.length).toString("hex")).sort());
  for (const key of sourceKeys) {
    const mapped = Buffer.concat([toPrefix, key.subarray(fromPrefix.length)]);
    expect(await readKey(to, mapped), key.toString()).toEqual(await readKey(from, key));
    const [sourceTtl, targetTtl] = [await from.pttl(key), await to.pttl(mapped)];
    if (sourceTtl === -1) expect(targetTtl, key.toString()).toBe(-1);
    else expect(Math.abs(sourceTtl - targetTtl), key.toString()).toBeLessThan(5_000);
  }
  return sourceKeys.length;
}

async function snapshot(client: Redis): Promise<unknown[]> {
  return Promise.all((await allKeys(client)).map(async (k) => [k.toString("hex"), await readKey(client, k)]));
}

describe("copyRedis", () => {
  it("copies every type with its TTL, binary keys and values and big keys, reading with a read-only user that may not run KEYS", async () => {
    await seedEveryType(src);
    await seedBig(src);
    await dst.set("left-over", "from an earlier copy");
    const before = await snapshot(src);
    const progress: StoreProgress[] = [];

    const result = await copyRedis({ source: as(SRC, USERS.readOnly), target: redisEndpoint(DST), onProgress: (p) => progress.push(p), batchSize: 4 });

    const count = await expectSameKeys(src, dst);
    expect(await dst.exists("left-over")).toBe(0);
    expect(result.unitsCopied).toBe(count);
    // DUMP payloads, compressed by Redis (LZF): the 50 MB of one letter travel as much less.
    expect(result.bytesCopied).toBeGreaterThan(1024 * 1024);
    expect(result.verification.ok).toBe(true);
    expect(result.verification.items.find((i) => i.name === "keys")).toMatchObject({ source: String(count), target: String(count), match: true });
    expect(result.verification.items.filter((i) => i.measure === "digest")).toHaveLength(count);
    expect(result.verification.items.find((i) => i.name === "sampled keys with a TTL")).toMatchObject({ source: "3", target: "3" });
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(["emptying", "copying", "verifying", "done"]));
    expect(progress.at(-1)).toMatchObject({ unitsDone: count, unitsTotal: count });
    // The source is as it was, and its user could not have changed it nor listed it with KEYS.
    expect(await snapshot(src)).toEqual(before);
    const readOnly = connectAs(as(SRC, USERS.readOnly));
    await expect(readOnly.keys("*")).rejects.toThrow(/NOPERM/);
    await expect(readOnly.set("x", "1")).rejects.toThrow(/NOPERM/);
    readOnly.disconnect();
  }, 180_000);

  it("copies the keys under the source prefix that match the pattern, renamed under the target's prefix, and empties only the target's prefix", async () => {
    // A prefix with glob characters: "app*1:" must not take "appX1:" or "app*10:" keys.
    await seedEveryType(src, "app*1:");
    await src.mset("appX1:user:1", "no", "app*10:user:1", "no", "app*1:session:1", "not matched");
    await dst.mset("env-a:stale", "removed", "env-b:user:1", "another store's");

    const result = await copyRedis({ source: redisEndpoint(SRC, "app*1:"), target: redisEndpoint(DST, "env-a:"), pattern: "[hs][ae]*" });

    const expected = (await allKeys(src, "app\\*1:[hs][ae]*")).map((k) => `env-a:${k.subarray(6).toString()}`);
    expect(expected.length).toBeGreaterThan(4);
    expect((await allKeys(dst, "env-a:*")).map(String).sort()).toEqual(expected.sort());
    expect(await dst.get("env-b:user:1")).toBe("another store's");
    expect(result.unitsCopied).toBe(expected.length);
    for (const name of ["hash:small", "set:str", "session:1"]) expect(await readKey(dst, Buffer.from(`env-a:${name}`))).toEqual(await readKey(src, Buffer.from(`app*1:${name}`)));
  });

  it("masks the strings and hash fields its RedisMask names, keeps their TTLs, and copies the other keys as they are", async () => {
    await seedEveryType(src);
    await src.set("user:1:email", "ada@example.com", "PX", 100_000);
    const mask: RedisMask = {
      appliesTo: (key) => key.startsWith("user:") || key.startsWith("hash:"),
      maskString: (_key, value) => Buffer.from(`masked-${value.length}`),
      maskHashField: (_key, field, value) => (field === "email" ? Buffer.from("someone@example.invalid") : value),
      keepsAsIs: () => false,
    };

    const result = await copyRedis({ source: redisEndpoint(SRC), target: redisEndpoint(DST), mask });

    expect(await dst.get("user:1:email")).toBe("masked-15");
    expect(await dst.pttl("user:1:email")).toBeGreaterThan(90_000);
    expect(await dst.hgetall("hash:small")).toEqual({ name: "Ada", email: "someone@example.invalid" });
    expect(await dst.hlen("hash:big")).toBe(2_000);
    expect(await dst.hget("hash:big", "f1999")).toBe("v1999");
    expect(await dst.pttl("hash:ttl")).toBeGreaterThan(0);
    expect(await readKey(dst, Buffer.from("stream"))).toEqual(await readKey(src, Buffer.from("stream")));
    expect(await dst.get("str:plain")).toBe("hello");
    expect(result.verification.ok).toBe(true);
    expect(result.verification.items.find((i) => i.name === "user:1:email")).toMatchObject({ measure: "digest", source: "masked", target: "masked" });
    expect(result.verification.items.find((i) => i.name === "str:plain")?.source).toMatch(/^string:5:/);
  });

  it("refuses a list, set, sorted set or stream a masking rule names, rather than copying it unmasked", async () => {
    await seedEveryType(src);
    const mask: RedisMask = { appliesTo: (key) => key === "stream", maskString: (_k, v) => v, maskHashField: (_k, _f, v) => v, keepsAsIs: () => false };
    await expect(copyRedis({ source: redisEndpoint(SRC), target: redisEndpoint(DST), mask })).rejects.toMatchObject({ kind: "invalid", message: expect.stringMatching(/key stream matches a masking rule but is a stream/) as unknown });
    const kept: RedisMask = { ...mask, keepsAsIs: () => true };
    expect((await copyRedis({ source: redisEndpoint(SRC), target: redisEndpoint(DST), mask: kept })).verification.ok).toBe(true);
  });

  it("stops when cancelled, with the signal's reason, leaving the copy incomplete and no connection open", async () => {
    await seedMany(src, 60_000);
    const controller = new AbortController();
    const reason = new Error("cancelled by the test");
    const copy = copyRedis({
      source: redisEndpoint(SRC),
      target: redisEndpoint(DST),
      batchSize: 200,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.unitsDone > 0) controller.abort(reason);
      },
    });
    await expect(copy).rejects.toBe(reason);
    expect(await dst.dbsize()).toBeLessThan(60_000);
    await eventually(async () => !(await copierConnections()).length, "the copier's connections to close");
  });

  it("fails as unavailable, naming a key, when the target connection is killed mid-copy; run again, it completes", async () => {
    await seedMany(src, 60_000);
    let killed = 0;
    const first = copyRedis({
      source: redisEndpoint(SRC),
      target: redisEndpoint(DST),
      batchSize: 200,
      onProgress: (p) => {
        // Killed from another process while this one waits, so that the copy has most of its keys still to write.
        if (!killed && p.phase === "copying" && p.unitsDone > 0) killed = killConnectionNow(COPY_CONNECTION_NAMES.target, DST);
      },
    });
    const error = await first.catch((e: unknown) => e);
    // The target has two connections by that name (ioredis for control, a bare socket for RESTORE): either dying fails the copy.
    expect(killed).toBeGreaterThanOrEqual(1);
    expect(isDataProblem(error, "unavailable")).toBe(true);
    expect((error as Error).message).toMatch(/key "k:\d+"/);
    expect(await dst.dbsize()).toBeLessThan(60_000);

    const again = await copyRedis({ source: redisEndpoint(SRC), target: redisEndpoint(DST) });
    expect(again.verification.ok).toBe(true);
    expect(await dst.dbsize()).toBe(60_000);
  });

  it("refuses a target that holds the source's keys", async () => {
    await expect(copyRedis({ source: redisEndpoint(SRC, "a:"), target: redisEndpoint(SRC, "a:b:") })).rejects.toThrow(/destroy the source/);
  });
});

describe("verifyCopy", () => {
  it("names each difference: the key count, a changed value, a lost TTL", async () => {
    await seedEveryType(src);
    await copyRedis({ source: redisEndpoint(SRC), target: redisEndpoint(DST) });
    await dst.set("intruder", "1");
    await dst.rpush("list", "extra");
    await dst.persist("str:ttl");
    const sample = ["list", "str:ttl", "set:str"].map((k) => ({ source: Buffer.from(k), target: Buffer.from(k), masked: false, hadTtl: k === "str:ttl" }));

    const v = await verifyCopy({ source: src, target: dst, keysCopied: await src.dbsize(), keysSkipped: 0, expiries: new ExpiryTally(), countTarget: () => dst.dbsize(), sample });

    expect(v.ok).toBe(false);
    expect(v.mismatches).toEqual(
      expect.arrayContaining([
        `keys: ${await src.dbsize()} copied from the source, ${await dst.dbsize()} in the copy`,
        'key "list": the list has 4 in the source and 5 in the copy (elements or bytes)',
        'key "str:ttl": the source has a TTL, the copy has none',
      ]),
    );
    expect(v.items.find((i) => i.name === "set:str")).toMatchObject({ measure: "digest", match: true });
  });
});

describe("emptyRedisStore", () => {
  it("removes the prefix's keys only, or the whole db when there is no prefix", async () => {
    await dst.mset("env-a:1", "x", "env-a:2", "y", "env-b:1", "z");
    expect(await emptyRedisStore(redisEndpoint(DST, "env-a:"))).toBe(2);
    expect((await allKeys(dst)).map(String)).toEqual(["env-b:1"]);
    await emptyRedisStore(redisEndpoint(DST));
    expect(await dst.dbsize()).toBe(0);
    expect(await src.set("still-here", "1")).toBe("OK");
  });
});

describe("testRedisConnection", () => {
  it("gives the version and key count", async () => {
    await src.mset("a:1", "1", "a:2", "2", "b:1", "3");
    expect(await testRedisConnection(redisEndpoint(SRC, "a:"), { needWrite: false })).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+/), keys: 2 });
    expect((await testRedisConnection(redisEndpoint(SRC), { needWrite: true })).keys).toBe(3);
  });

  it("says in plain words what is wrong", async () => {
    const cases: [RedisEndpoint, boolean, string, RegExp][] = [
      [{ ...redisEndpoint(SRC), port: await freePort() }, false, "unavailable", /ECONNREFUSED/],
      [{ ...as(SRC, USERS.readOnly), password: "wrong" }, false, "refused", /user name or password/],
      [as(SRC, USERS.noDump), false, "refused", /may not run DUMP, which Corral needs to read from it/],
      [as(SRC, USERS.readOnly), true, "refused", /may not run RESTORE/],
      [as(SRC, USERS.noAcl), true, "refused", /may not run ACL SETUSER/],
      [redisEndpoint(99), false, "not-found", /no such logical database/],
    ];
    for (const [endpoint, needWrite, kind, message] of cases) {
      const error = await testRedisConnection(endpoint, { needWrite }).catch((e: unknown) => e);
      expect(isDataProblem(error) && error.kind, `${endpoint.username ?? "default"}@${endpoint.port}/${endpoint.db}`).toBe(kind);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(PASSWORD);
    }
  });
});

describe("createRedisStore / dropRedisStore", () => {
  it("makes a user that reaches its prefix's keys and nothing else, idempotently, and removes both", async () => {
    const admin = redisEndpoint(STORES);
    await stores.set("other-env:secret", "not yours");
    const once = await createRedisStore(admin, { user: USERS.store, password: PASSWORD, keyPrefix: "env-a:" });
    const endpoint = await createRedisStore(admin, { user: USERS.store, password: PASSWORD, keyPrefix: "env-a:" });
    expect(endpoint).toEqual(once);
    expect(endpoint).toMatchObject({ username: USERS.store, db: STORES, keyPrefix: "env-a:" });

    const app = connectAs(endpoint);
    await app.set("env-a:counter", "1");
    expect(await app.incr("env-a:counter")).toBe(2);
    expect(await app.info("server")).toMatch(/redis_version/);
    await expect(app.get("other-env:secret")).rejects.toThrow(/NOPERM/);
    await expect(app.keys("*")).rejects.toThrow(/NOPERM/);
    await expect(app.flushdb()).rejects.toThrow(/NOPERM/);
    await expect(app.call("CONFIG", "GET", "*")).rejects.toThrow(/NOPERM/);

    expect(await dropRedisStore(admin, { user: USERS.store, keyPrefix: "env-a:" })).toEqual({ keysRemoved: 1 });
    expect(await dropRedisStore(admin, { user: USERS.store, keyPrefix: "env-a:" })).toEqual({ keysRemoved: 0 });
    app.disconnect();
    expect(await stores.get("other-env:secret")).toBe("not yours");
    const again = connectAs(endpoint);
    await expect(again.connect()).rejects.toThrow();
    again.disconnect();
  });

  it("refuses a store without a prefix", async () => {
    await expect(createRedisStore(redisEndpoint(STORES), { user: USERS.store, password: PASSWORD, keyPrefix: "" })).rejects.toThrow(/needs a key prefix/);
  });
});

function connectAs(e: RedisEndpoint): Redis {
  const client = new Redis({ host: e.host, port: e.port, username: e.username, password: e.password, db: e.db, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on("error", () => {});
  return client;
}

async function seedMany(client: Redis, n: number): Promise<void> {
  for (let start = 0; start < n; start += 10_000) {
    const p = client.pipeline();
    for (let i = start; i < Math.min(n, start + 10_000); i++) p.set(`k:${i}`, `value-${i}`);
    await p.exec();
  }
}

async function copierConnections(): Promise<string[]> {
  const list = String(await stores.call("CLIENT", "LIST"));
  return list.split("\n").filter((l) => / name=corral-copy-/.test(l) && / db=(8|9) /.test(l));
}

/** CLIENT KILL from a redis-cli process, synchronously (the password, if any, in its environment). */
function killConnectionNow(name: string, db: number): number {
  const e = redisEndpoint(db);
  const args = ["-h", e.host, "-p", String(e.port), ...(e.username ? ["--user", e.username] : [])];
  const env = { ...process.env, ...(e.password ? { REDISCLI_AUTH: e.password } : {}) };
  const list = execFileSync("redis-cli", [...args, "CLIENT", "LIST"], { env, encoding: "utf8" });
  let killed = 0;
  for (const line of list.split("\n")) {
    if (!line.includes(` name=${name} `) || !line.includes(` db=${db} `)) continue;
    const id = /^id=(\d+)/.exec(line)?.[1];
    if (id) killed += Number(execFileSync("redis-cli", [...args, "CLIENT", "KILL", "ID", id], { env, encoding: "utf8" }).trim());
  }
  return killed;
}
