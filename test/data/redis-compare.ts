// The test's own reading of a Redis key, independent of the copier's digests: every type read
// whole with its plain commands, unordered ones sorted, so two keys can be compared with toEqual.
import type { Redis } from "ioredis";

export async function readKey(client: Redis, key: Buffer): Promise<unknown> {
  const type = await client.type(key);
  const hex = (b: Buffer) => b.toString("hex");
  switch (type) {
    case "none":
      return null;
    case "string":
      return { type, value: hex((await client.getBuffer(key))!) };
    case "hash": {
      const flat = (await client.callBuffer("HGETALL", key)) as Buffer[];
      const pairs: string[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(`${hex(flat[i]!)}=${hex(flat[i + 1]!)}`);
      return { type, value: pairs.sort() };
    }
    case "list":
      return { type, value: (await client.lrangeBuffer(key, 0, -1)).map(hex) };
    case "set":
      return { type, value: (await client.smembersBuffer(key)).map(hex).sort() };
    case "zset": {
      // RESP3 answers pairs, RESP2 a flat list.
      const flat = ((await client.callBuffer("ZRANGE", key, "0", "-1", "WITHSCORES")) as (Buffer | Buffer[])[]).flat();
      const pairs: string[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(`${hex(flat[i]!)}@${Number(flat[i + 1]!.toString().replace(/^(-?)inf$/, "$1Infinity"))}`);
      return { type, value: pairs };
    }
    case "stream": {
      const entries = await client.xrange(key, "-", "+");
      const groups = (await client.call("XINFO", "GROUPS", key)) as unknown[][];
      const pending = [];
      for (const g of groups) {
        const name = String(g[g.indexOf("name") + 1]);
        pending.push({ name, lastDelivered: g[g.indexOf("last-delivered-id") + 1], pending: await client.xpending(key, name, "-", "+", 1000) });
      }
      return { type, value: entries, groups: pending.map((p) => ({ ...p, pending: (p.pending as unknown[][]).map((e) => [e[0], e[1], e[3]]) })) };
    }
    default:
      throw new Error(`unexpected type ${type}`);
  }
}

export async function allKeys(client: Redis, match = "*"): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  let cursor = "0";
  do {
    const [next, page] = await client.scanBuffer(cursor, "MATCH", match, "COUNT", 1000);
    cursor = next.toString();
    keys.push(...page);
  } while (cursor !== "0");
  return keys.sort(Buffer.compare);
}
