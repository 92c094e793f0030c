import "server-only";
import { DataProblem } from "./data-problem";
import type { Endpoint } from "./endpoints";
import type { Masks } from "./masks-for";
import { copyMysql } from "./mysql/copy-mysql";
import { createMysqlStore, dropMysqlStore, testMysqlConnection } from "./mysql/stores";

import { copyRedis } from "./redis/copy-redis";
import { createRedisStore, dropRedisStore } from "./redis/redis-store";
import { testRedisConnection } from "./redis/test-connection";
import { copyS3 } from "./s3/copy-s3";
import { dropS3Store } from "./s3/s3-store";
import { testS3Connection } from "./s3/test-s3-connection";
import type { CopyResult, MysqlEndpoint, ProgressListener, RedisEndpoint, S3Location, StoreKind } from "./types";

// One face over the three copiers, so the jobs and services do not branch on the kind.

export interface CopyRequest {
  source: Endpoint;
  target: Endpoint;
  options: { tables?: string[]; rowFilters?: Record<string, string>; pattern?: string };
  masks: Masks;
  signal: AbortSignal;
  onProgress: ProgressListener;
}

export interface StoreGateway {
  /** A sentence on what was found ("MariaDB 10.11.6, 12 tables"), or a DataProblem in plain words. */
  test(endpoint: Endpoint, o: { needWrite: boolean; signal?: AbortSignal }): Promise<string>;
  /** Makes the store (idempotent): `own` is the store as its user will connect. */
  createStore(admin: Endpoint, own: Endpoint, names: { name: string; username: string | null }): Promise<void>;
  /** Removes the store and its user (idempotent); needs only the host's own credentials. */
  dropStore(admin: Endpoint, names: { name: string; username: string | null }): Promise<void>;
  copy(request: CopyRequest): Promise<CopyResult>;
}

const mysql: StoreGateway = {
  async test(e, o) {
    const found = await withSignal(testMysqlConnection(as(e, "mysql"), { needWrite: o.needWrite }), o.signal);
    return `${found.version}; ${count(found.tables, "table")}`;
  },
  async createStore(admin, own, names) {
    const o = as(own, "mysql");
    await createMysqlStore(as(admin, "mysql"), { database: names.name, user: names.username ?? o.user, password: o.password });
  },
  async dropStore(admin, names) {
    await dropMysqlStore(as(admin, "mysql"), { database: names.name, user: names.username ?? "" });
  },
  copy: (r) => copyMysql({ source: as(r.source, "mysql"), target: as(r.target, "mysql"), tables: r.options.tables, rowFilters: r.options.rowFilters, mask: r.masks.mysql, signal: r.signal, onProgress: r.onProgress }),
};

const redis: StoreGateway = {
  async test(e, o) {
    const found = await withSignal(testRedisConnection(as(e, "redis"), { needWrite: o.needWrite }), o.signal);
    return `Redis ${found.version}; ${count(found.keys, "key")}`;
  },
  async createStore(admin, own, names) {
    const o = as(own, "redis");
    await createRedisStore(as(admin, "redis"), { user: names.username ?? "", password: o.password ?? "", keyPrefix: names.name });
  },
  async dropStore(admin, names) {
    await dropRedisStore(as(admin, "redis"), { user: names.username ?? "", keyPrefix: names.name });
  },
  copy: (r) => copyRedis({ source: as(r.source, "redis"), target: as(r.target, "redis"), pattern: r.options.pattern, mask: r.masks.redis, signal: r.signal, onProgress: r.onProgress }),
};

const s3: StoreGateway = {
  async test(e, o) {
    const found = await withSignal(testS3Connection(as(e, "s3"), { needWrite: o.needWrite }), o.signal);
    return `bucket reachable; ${count(found.objects, "object")} under the prefix`;
  },
  // A prefix needs no making: it exists once an object is written under it.
  async createStore() {},
  async dropStore(admin, names) {
    await dropS3Store(as(admin, "s3"), { prefix: names.name });
  },
  copy: (r) => copyS3({ source: as(r.source, "s3"), target: as(r.target, "s3"), signal: r.signal, onProgress: r.onProgress }),
};

const GATEWAYS: Record<StoreKind, StoreGateway> = { mysql, redis, s3 };

export function storeGateway(kind: StoreKind): StoreGateway {
  return GATEWAYS[kind];
}

function as(e: Endpoint, kind: "mysql"): MysqlEndpoint;
function as(e: Endpoint, kind: "redis"): RedisEndpoint;
function as(e: Endpoint, kind: "s3"): S3Location;
function as(e: Endpoint, kind: StoreKind): MysqlEndpoint | RedisEndpoint | S3Location {
  if (e.kind !== kind) throw new DataProblem("invalid", `a ${e.kind} store is not a ${kind} store`);
  return e.endpoint;
}

function count(n: number, what: string) {
  return `${n.toLocaleString("en")} ${what}${n === 1 ? "" : "s"}`;
}

/** Gives up waiting at the signal (the work itself ends on its own timeouts). */
function withSignal<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
