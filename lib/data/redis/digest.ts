import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

// A digest of a key's logical value, the same on any server that holds the same data. DUMP
// payloads are not compared: they carry the RDB version and the encoding the server chose
// (listpack, ziplist, intset, hashtable…, which follows version and config), so equal values may
// have different payloads. Unordered types (hash, set, sorted set) are summed element by element
// (a sum of per-element hashes does not depend on SCAN's order, and needs no sorting in memory), so a big key is read in pages
// and never held whole; ordered ones (list, stream) are hashed in order, also in pages. Scores are
// reparsed, since servers print doubles differently ("1.1" or "1.1000000000000001").

const PAGE = 1_000;
/** SSCAN/HSCAN/ZSCAN COUNT: big pages, fewer round trips on a big key. */
const SCAN_PAGE = 10_000;
const STRING_CHUNK = 4 * 1024 * 1024;

/** The key's type and a digest of its value, or null when the key does not exist. */
export async function digestKey(client: Redis, key: Buffer): Promise<{ type: string; digest: string } | null> {
  const type = await client.type(key);
  if (type === "none") return null;
  const digest = await digestByType(client, key, type);
  return { type, digest };
}

async function digestByType(client: Redis, key: Buffer, type: string): Promise<string> {
  switch (type) {
    case "string":
      return digestString(client, key);
    case "list":
      return digestList(client, key);
    case "hash":
      return digestScan(client, key, "HSCAN", (page, add) => {
        for (let i = 0; i + 1 < page.length; i += 2) add([page[i]!, page[i + 1]!]);
      });
    case "set":
      return digestScan(client, key, "SSCAN", (page, add) => {
        for (const member of page) add([member]);
      });
    case "zset":
      return digestScan(client, key, "ZSCAN", (page, add) => {
        for (let i = 0; i + 1 < page.length; i += 2) add([page[i]!, Buffer.from(normalizeScore(page[i + 1]!.toString()))]);
      });
    case "stream":
      return digestStream(client, key);
    default: {
      // Module types: only their payload is there to compare (equal across servers of one version).
      const payload = await client.dumpBuffer(key);
      return `dump:${payload ? sha256(payload) : "none"}`;
    }
  }
}

async function digestString(client: Redis, key: Buffer): Promise<string> {
  const length = await client.strlen(key);
  const hash = createHash("sha256");
  for (let start = 0; start < length; start += STRING_CHUNK) {
    hash.update(await client.getrangeBuffer(key, start, Math.min(length, start + STRING_CHUNK) - 1));
  }
  return `string:${length}:${hash.digest("hex")}`;
}

async function digestList(client: Redis, key: Buffer): Promise<string> {
  const length = await client.llen(key);
  const hash = createHash("sha256");
  for (let start = 0; start < length; start += PAGE) {
    for (const item of await client.lrangeBuffer(key, start, start + PAGE - 1)) updateFramed(hash, item);
  }
  return `list:${length}:${hash.digest("hex")}`;
}

async function digestScan(client: Redis, key: Buffer, command: "HSCAN" | "SSCAN" | "ZSCAN", read: (page: Buffer[], add: (parts: Buffer[]) => void) => void): Promise<string> {
  const sum = new UnorderedSum();
  let cursor = "0";
  do {
    const [next, page] = (await client.callBuffer(command, key, cursor, "COUNT", String(SCAN_PAGE))) as [Buffer, Buffer[]];
    cursor = next.toString();
    read(page, (parts) => sum.add(parts));
  } while (cursor !== "0");
  return `${command.slice(0, 1).toLowerCase()}:${sum.count}:${sum.hex()}`;
}

async function digestStream(client: Redis, key: Buffer): Promise<string> {
  const hash = createHash("sha256");
  let start = "-";
  let entries = 0;
  for (;;) {
    const page = (await client.xrangeBuffer(key, start, "+", "COUNT", PAGE)) as [Buffer, Buffer[]][];
    for (const [id, fields] of page) {
      updateFramed(hash, id);
      hash.update(String(fields.length));
      for (const f of fields) updateFramed(hash, f);
    }
    entries += page.length;
    if (page.length < PAGE) break;
    start = nextStreamId(page[page.length - 1]![0].toString());
  }
  // Groups and their pending entries travel in DUMP (RDB 9+); idle times and lag are left out, they move by themselves.
  const info = pairs((await client.call("XINFO", "STREAM", key)) as unknown[]);
  const groups = ((await client.call("XINFO", "GROUPS", key)) as unknown[][]).map(pairs);
  const groupText = groups
    .map((g) => `${String(g.get("name"))}|${String(g.get("last-delivered-id"))}|${String(g.get("pending"))}|${String(g.get("consumers"))}`)
    .sort()
    .join(";");
  return `stream:${entries}:${String(info.get("last-generated-id"))}:${sha256(Buffer.from(groupText))}:${hash.digest("hex")}`;
}

/** The smallest stream id after `id` (XRANGE's exclusive "(" needs Redis 6.2). */
export function nextStreamId(id: string): string {
  const [ms, seq] = id.split("-");
  const s = BigInt(seq ?? "0");
  return s >= 18446744073709551615n ? `${BigInt(ms ?? "0") + 1n}-0` : `${ms}-${s + 1n}`;
}

/** One spelling for a double, whichever way the server printed it. */
export function normalizeScore(score: string): string {
  const s = score.toLowerCase();
  if (s === "inf" || s === "+inf" || s === "infinity") return "Infinity";
  if (s === "-inf" || s === "-infinity") return "-Infinity";
  return String(Number(score));
}

/**
 * An order-independent digest of a multiset: per lane, the sum mod 2³² of each element's hash.
 * The element hash is two FNV-1a lanes with murmur's final mix, not SHA-256: a million-member set
 * is hashed in a fraction of a second rather than many seconds. It guards against accidents (a
 * lost or changed element slips by with odds of about 2⁻⁶⁴), not against an adversary.
 */
export class UnorderedSum {
  count = 0;
  private a = 0;
  private b = 0;
  add(parts: Buffer[]): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (const part of parts) {
      // The length first, so that bytes moved between a field and its value change the hash.
      h1 = Math.imul(h1 ^ part.length, 0x01000193);
      h2 = Math.imul(h2 ^ part.length, 0x5bd1e995);
      for (let i = 0; i < part.length; i++) {
        const byte = part[i]!;
        h1 = Math.imul(h1 ^ byte, 0x01000193);
        h2 = Math.imul(h2 ^ byte, 0x5bd1e995);
      }
    }
    this.a = (this.a + fmix32(h1)) >>> 0;
    this.b = (this.b + fmix32(h2 ^ h1)) >>> 0;
    this.count++;
  }
  hex(): string {
    return this.a.toString(16).padStart(8, "0") + this.b.toString(16).padStart(8, "0");
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function updateFramed(hash: ReturnType<typeof createHash>, part: Buffer): void {
  hash.update(`${part.length}:`);
  hash.update(part);
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function pairs(flat: unknown[]): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), flat[i + 1]);
  return map;
}
