import type { Redis } from "ioredis";
import { DataProblem } from "../data-problem";
import type { CopyResult, ProgressListener, RedisEndpoint, RedisMask, StoreProgress } from "../types";
import { type OpenRedis, describeEndpoint, openRedis, preferSocketError } from "./connect";
import { countKeys, emptyOn } from "./empty-store";
import { keyName, mapKey, matchGlob, planCopy } from "./keys";
import { describeRedisError } from "./redis-problem";
import { RespConnection } from "./resp-connection";
import { type RespReply, RespReplyError } from "./resp-reader";
import { RespWriter } from "./resp-writer";
import { KeySample } from "./sample";
import { ExpiryTally, verifyCopy } from "./verify-copy";

// Copies keys from a source Redis into a store: SCAN on the source (never KEYS), DUMP + PTTL
// pipelined there, RESTORE … REPLACE pipelined on the target, several batches in flight so that
// both servers always have work, and payload bytes in flight bounded so that big keys do not
// pile up in memory. Masked keys are read and written by value instead. The source connections
// only ever send reads. The connections do not reconnect: when one drops, the copy fails with
// "unavailable" naming a key, and its job runs the whole copy again (the target is emptied first).
//
// Why the hot path is hand-written RESP on bare sockets (resp-connection.ts) and not ioredis: a
// profile of the ioredis copy of a million small keys spent about 18 µs of Node CPU per key, most
// of it ioredis's cost per command (a Command object, a Promise, argument arrays, a reply array
// entry each) and the garbage it left (2.4 s of 6.3 s in GC), for three commands per key. Here a
// batch of a thousand keys is one request Buffer built from pre-encoded command heads, one socket
// write and one Promise; replies are parsed as they stream in and DUMP payloads are views into the
// received chunks, copied once into the RESTORE request. That brought Node to about 4 µs of CPU a
// key (Node 24; the kernel's socket writes and GC the most of it), idle most of the copy: the
// bound is now the Redis server's own work, about 7 µs of its CPU a key for SCAN, DUMP, PTTL and
// RESTORE, the same work any DUMP-based copier makes it do. (Strings by GET/SET instead measured
// no cheaper for the server: its cost per command, not DUMP's, is what counts.) ioredis stays for everything that is not per key (SCAN, masking, emptying,
// verifying): there its convenience costs nothing that shows. Each side so has two connections,
// both named corral-copy-source or corral-copy-target.

export const COPY_CONNECTION_NAMES = { source: "corral-copy-source", target: "corral-copy-target" } as const;
const SAMPLE_SIZE = 1_000;
/** A hash bigger than this is read with HSCAN and written in parts. */
const HASH_PAGE = 1_000;
const DUMP = RespWriter.head(2, "DUMP");
const PTTL = RespWriter.head(2, "PTTL");
const RESTORE = RespWriter.head(5, "RESTORE");
const REPLACE = RespWriter.words("REPLACE");

export interface CopyRedisOptions {
  source: RedisEndpoint;
  target: RedisEndpoint;
  pattern?: string;
  mask?: RedisMask;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  batchSize?: number;
  /** Keys the verification compares (default 1,000). */
  sampleSize?: number;
}

export async function copyRedis(o: CopyRedisOptions): Promise<CopyResult> {
  o.signal?.throwIfAborted();
  refuseSelfCopy(o.source, o.target);
  const conns: { close(): void }[] = [];
  const closeAll = () => conns.forEach((c) => c.close());
  o.signal?.addEventListener("abort", closeAll, { once: true });
  try {
    const source = await openRedis(o.source, { name: COPY_CONNECTION_NAMES.source });
    conns.push(source);
    const target = await openRedis(o.target, { name: COPY_CONNECTION_NAMES.target });
    conns.push(target);
    const sourceWire = await RespConnection.open(o.source, COPY_CONNECTION_NAMES.source, o.signal);
    conns.push(sourceWire);
    const targetWire = await RespConnection.open(o.target, COPY_CONNECTION_NAMES.target, o.signal);
    conns.push(targetWire);
    return await new Copy(o, { ...source, wire: sourceWire }, { ...target, wire: targetWire }).run();
  } catch (error) {
    if (o.signal?.aborted) throw o.signal.reason;
    throw describeRedisError(error);
  } finally {
    o.signal?.removeEventListener("abort", closeAll);
    closeAll();
  }
}

class Copy {
  private readonly plan;
  private readonly sourcePrefix: Buffer;
  private readonly targetPrefix: Buffer;
  private readonly sample: KeySample;
  private readonly expiries = new ExpiryTally();
  private keysDone = 0;
  private bytesDone = 0;
  private skipped = 0;
  private bytesInFlight = 0;
  private failure: unknown;
  private unitsTotal: number | undefined;

  constructor(
    private readonly o: CopyRedisOptions,
    private readonly source: Side,
    private readonly target: Side,
  ) {
    this.plan = planCopy({ batchSize: o.batchSize, pattern: o.pattern });
    this.sourcePrefix = Buffer.from(o.source.keyPrefix);
    this.targetPrefix = Buffer.from(o.target.keyPrefix);
    this.sample = new KeySample(o.sampleSize ?? SAMPLE_SIZE);
  }

  async run(): Promise<CopyResult> {
    const { source, target } = this.o;
    this.report("emptying", target.keyPrefix || `db ${target.db}`);
    await this.step(this.target, `emptying ${describeEndpoint(target)}`, () => emptyOn(this.target.client, target.keyPrefix, this.o.signal));
    if (source.keyPrefix === "" && !this.o.pattern) this.unitsTotal = await this.step(this.source, "counting the source's keys", () => this.source.client.dbsize());

    this.report("copying", matchGlob(source.keyPrefix, this.o.pattern));
    await this.copyAll();
    this.report("verifying");
    const verification = await verifyCopy({
      source: this.source.client,
      target: this.target.client,
      keysCopied: this.keysDone,
      keysSkipped: this.skipped,
      expiries: this.expiries,
      countTarget: () => countKeys(this.target.client, target.keyPrefix),
      sample: this.sample.keys(),
      signal: this.o.signal,
    }).catch((error: unknown) => {
      throw this.problem(error, this.target, "verifying the copy");
    });
    this.report("done");
    const result: CopyResult = { store: "redis", itemsCopied: this.keysDone, unitsCopied: this.keysDone, bytesCopied: this.bytesDone, verification };
    if (!verification.ok) throw new RedisVerificationError(result);
    return result;
  }

  private async copyAll(): Promise<void> {
    const { scanCount, batchKeys, batchesInFlight, maxBytesInFlight } = this.plan;
    const glob = matchGlob(this.o.source.keyPrefix, this.o.pattern);
    const inFlight = new Set<Promise<void>>();
    const pending: Buffer[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await this.step(this.source, "scanning the source", () => this.source.client.scanBuffer(cursor, "MATCH", glob, "COUNT", scanCount));
      cursor = next.toString();
      for (const k of keys) pending.push(k);
      while (pending.length >= batchKeys || (cursor === "0" && pending.length > 0)) {
        const batch = pending.splice(0, batchKeys);
        while (inFlight.size >= batchesInFlight || (inFlight.size > 0 && this.bytesInFlight > maxBytesInFlight)) await Promise.race(inFlight);
        this.throwIfFailed();
        const p: Promise<void> = this.copyBatch(batch)
          .catch((error: unknown) => {
            this.failure ??= error;
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      this.throwIfFailed();
    } while (cursor !== "0");
    await Promise.all(inFlight);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    this.o.signal?.throwIfAborted();
    if (this.failure !== undefined) throw this.failure;
  }

  private async copyBatch(keys: Buffer[]): Promise<void> {
    const mask = this.o.mask;
    const plain = mask ? keys.filter((k) => !mask.appliesTo(k.toString())) : keys;
    if (mask && plain.length < keys.length) {
      for (const k of keys) if (mask.appliesTo(k.toString())) await this.copyMasked(k, mask);
    }
    if (plain.length > 0) await this.copyDumped(plain);
    this.report("copying");
  }

  private async copyDumped(keys: Buffer[]): Promise<void> {
    const read = new RespWriter();
    for (const k of keys) read.raw(DUMP).bulk(k).raw(PTTL).bulk(k);
    const replies = await this.exec(read, keys.length * 2, this.source, keys[0]!, keys.length, "reading");
    const write = new RespWriter();
    const written: { key: Buffer; target: Buffer; ttl: number; bytes: number }[] = [];
    let bytes = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const payload = replies[2 * i];
      const pttl = replies[2 * i + 1];
      if (payload instanceof RespReplyError || pttl instanceof RespReplyError) {
        throw this.problem(payload instanceof RespReplyError ? payload : pttl, this.source, `reading key "${keyName(key)}"`);
      }
      // Gone since SCAN saw it (expired or deleted): nothing to copy.
      if (payload === null || pttl === -2) {
        this.skipped++;
        continue;
      }
      if (!Buffer.isBuffer(payload) || typeof pttl !== "number") throw new DataProblem("invalid", `reading key "${keyName(key)}": Redis answered DUMP or PTTL with something else than a payload and a number`);
      const ttl = Math.max(0, pttl);
      const target = mapKey(key, this.sourcePrefix, this.targetPrefix);
      write.raw(RESTORE).bulk(target).int(ttl).bulk(payload).raw(REPLACE);
      written.push({ key, target, ttl, bytes: payload.length });
      bytes += payload.length;
    }
    if (written.length === 0) return;
    this.bytesInFlight += bytes;
    try {
      const results = await this.exec(write, written.length, this.target, written[0]!.target, written.length, "writing");
      for (let i = 0; i < results.length; i++) {
        const error = results[i];
        if (error instanceof RespReplyError) {
          const w = written[i]!;
          throw this.problem(error, this.target, `writing key "${keyName(w.target)}" (from "${keyName(w.key)}")`);
        }
      }
    } finally {
      this.bytesInFlight -= bytes;
    }
    for (const w of written) this.done(w.key, w.target, w.ttl, w.bytes, false);
  }

  private async copyMasked(key: Buffer, mask: RedisMask): Promise<void> {
    const src = this.source.client;
    const dst = this.target.client;
    const target = mapKey(key, this.sourcePrefix, this.targetPrefix);
    const name = key.toString();
    const what = `copying masked key "${keyName(key)}"`;
    await this.step(this.source, what, async () => {
      const [[typeError, type], [ttlError, pttl]] = (await src.pipeline().type(key).pttl(key).exec()) as [[Error | null, unknown], [Error | null, unknown]];
      if (typeError ?? ttlError) throw typeError ?? ttlError;
      const ttl = Math.max(0, pttl as number);
      if (type === "none" || pttl === -2) {
        this.skipped++;
        return;
      }
      if (type === "string") {
        const value = await src.getBuffer(key);
        if (value === null) return void this.skipped++;
        const masked = mask.maskString(name, value);
        await (ttl > 0 ? dst.set(target, masked, "PX", ttl) : dst.set(target, masked));
        return this.done(key, target, ttl, masked.length, true);
      }
      if (type === "hash") {
        const bytes = await this.copyMaskedHash(src, dst, key, target, name, mask);
        if (ttl > 0) await dst.pexpire(target, ttl);
        return this.done(key, target, ttl, bytes, true);
      }
      // Lists, sets, sorted sets, streams: masking has no hook for their members, so a key a
      // masking rule names is refused rather than copied unmasked (fail closed); "keep" rules pass.
      if (!mask.keepsAsIs(name)) throw new DataProblem("invalid", `key ${name} matches a masking rule but is a ${type}: Corral masks strings and hash fields only. Narrow the rule's pattern, or add a keep rule for such keys`);
      await this.copyDumped([key]);
    });
  }

  private async copyMaskedHash(src: Redis, dst: Redis, key: Buffer, target: Buffer, name: string, mask: RedisMask): Promise<number> {
    await dst.unlink(target);
    let bytes = 0;
    const writePage = async (flat: Buffer[]) => {
      if (flat.length === 0) return;
      const out: Buffer[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const field = flat[i]!;
        const value = mask.maskHashField(name, field.toString(), flat[i + 1]!);
        out.push(field, value);
        bytes += field.length + value.length;
      }
      await dst.hset(target, ...out);
    };
    if ((await src.hlen(key)) <= HASH_PAGE) {
      await writePage((await src.callBuffer("HGETALL", key)) as Buffer[]);
      return bytes;
    }
    // A big hash is read and written page by page; HSCAN may repeat a field, HSET overwrites it.
    let cursor = "0";
    do {
      const [next, page] = (await src.hscanBuffer(key, cursor, "COUNT", HASH_PAGE)) as [Buffer, Buffer[]];
      cursor = next.toString();
      await writePage(page);
    } while (cursor !== "0");
    return bytes;
  }

  private done(key: Buffer, target: Buffer, ttl: number, bytes: number, masked: boolean): void {
    this.keysDone++;
    this.bytesDone += bytes;
    if (ttl > 0) this.expiries.add(Date.now() + ttl);
    if (this.sample.wants(key)) this.sample.offer({ source: key, target, masked, hadTtl: ttl > 0 });
  }

  private async exec(request: RespWriter, replies: number, side: Side, first: Buffer, count: number, doing: string): Promise<RespReply[]> {
    try {
      return await side.wire.send(request, replies);
    } catch (error) {
      // A dropped connection fails the whole batch alike: named by its first key.
      const more = count > 1 ? ` and ${count - 1} more in its batch` : "";
      throw this.problem(error, side, `${doing} key "${keyName(first)}"${more} on ${side === this.source ? "the source" : "the target"}`);
    }
  }

  private async step<T>(conn: OpenRedis, what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.problem(error, conn, what);
    }
  }

  private problem(error: unknown, conn: OpenRedis, what: string): unknown {
    if (this.o.signal?.aborted) return this.o.signal.reason;
    if (error instanceof DataProblem) return error;
    return describeRedisError(preferSocketError(error, conn.lastError()), what);
  }

  private report(phase: StoreProgress["phase"], current?: string): void {
    this.o.onProgress?.({
      store: "redis",
      phase,
      itemsDone: this.keysDone,
      itemsTotal: this.unitsTotal,
      unitsDone: this.keysDone,
      unitsTotal: this.unitsTotal,
      bytesDone: this.bytesDone,
      current,
    });
  }
}

/** A side of the copy: ioredis for SCAN, masking, emptying and verifying; a bare connection for the hot path. */
interface Side extends OpenRedis {
  wire: RespConnection;
}

/** A copy whose verification found a difference; the result (with what differed) is kept for the record. */
export class RedisVerificationError extends DataProblem {
  constructor(readonly result: CopyResult) {
    super("invalid", `The Redis copy differs from its source: ${result.verification.mismatches.join("; ")}`);
  }
}

/** A copy never writes to its source: refused when the target's keys could be the source's. */
function refuseSelfCopy(source: RedisEndpoint, target: RedisEndpoint): void {
  const sameDb = source.host === target.host && source.port === target.port && source.db === target.db;
  const overlap = source.keyPrefix.startsWith(target.keyPrefix) || target.keyPrefix.startsWith(source.keyPrefix);
  if (sameDb && overlap) {
    throw new DataProblem("invalid", `The copy's target (${describeEndpoint(target)}, prefix "${target.keyPrefix}") holds the source's keys (prefix "${source.keyPrefix}"): emptying it would destroy the source`);
  }
}
