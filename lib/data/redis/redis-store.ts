import { DataProblem } from "../data-problem";
import type { RedisEndpoint } from "../types";
import { describeEndpoint, withRedis } from "./connect";
import { unlinkMatching } from "./empty-store";
import { escapeGlob, matchGlob } from "./keys";
import { describeRedisError } from "./redis-problem";

// An environment's Redis store: a key prefix on a store host and an ACL user that may touch only
// the keys (and pub/sub channels) under it. Both calls are idempotent: ACL SETUSER … reset sets
// the user's whole definition each time, ACL DELUSER of a missing user removes nothing.

/**
 * What a store's user may do: every command of an application (@all) but the server's
 * administration and the commands that reach beyond one's own keys (@admin, @dangerous: KEYS,
 * FLUSHDB, FLUSHALL, CONFIG, DEBUG, MIGRATE, RESTORE, CLIENT KILL…). Given back: INFO, which
 * clients send on connecting (ioredis's ready check, health checks), and SORT, which ACLs already
 * limit to the user's keys (BY/GET patterns need ~*).
 */
export function storeUserRules(o: { password: string; keyPrefix: string }): string[] {
  const glob = `${escapeGlob(o.keyPrefix)}*`;
  return ["reset", "on", `>${o.password}`, `~${glob}`, `&${glob}`, "+@all", "-@admin", "-@dangerous", "+info", "+sort", "+sort_ro"];
}

export async function createRedisStore(admin: RedisEndpoint, o: { user: string; password: string; keyPrefix: string; signal?: AbortSignal }): Promise<RedisEndpoint> {
  checkStore(o);
  await withRedis(
    admin,
    async (client) => {
      try {
        await client.call("ACL", "SETUSER", o.user, ...storeUserRules(o));
      } catch (error) {
        // Redis echoes a rule it cannot parse; the password must not reach a message or a log.
        const message = error instanceof Error ? error.message.split(o.password).join("<password>") : String(error);
        throw refusedAcl(new Error(message), admin, `create the user "${o.user}"`);
      }
    },
    { signal: o.signal, name: "corral-store-admin" },
  );
  return { host: admin.host, port: admin.port, tls: admin.tls, username: o.user, password: o.password, db: admin.db, keyPrefix: o.keyPrefix };
}

/** Removes the store's user (and so its connections) first, then its keys. */
export async function dropRedisStore(admin: RedisEndpoint, o: { user: string; keyPrefix: string; signal?: AbortSignal }): Promise<{ keysRemoved: number }> {
  checkStore(o);
  return withRedis(
    admin,
    async (client) => {
      try {
        await client.call("ACL", "DELUSER", o.user);
      } catch (error) {
        throw refusedAcl(error, admin, `remove the user "${o.user}"`);
      }
      return { keysRemoved: await unlinkMatching(client, matchGlob(o.keyPrefix), o.signal) };
    },
    { signal: o.signal, name: "corral-store-admin" },
  );
}

function checkStore(o: { user: string; keyPrefix: string }): void {
  // An empty prefix would give the user, or the drop, every key on the server.
  if (o.keyPrefix === "") throw new DataProblem("invalid", "A Redis store needs a key prefix: without one its user would reach every key on the server");
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(o.user)) throw new DataProblem("invalid", `"${o.user}" cannot be a Redis user name: letters, digits, "_", ".", ":" and "-" only`);
  if (o.user === "default") throw new DataProblem("invalid", 'A store cannot use the Redis user "default"');
}

function refusedAcl(error: unknown, admin: RedisEndpoint, doing: string): DataProblem {
  const problem = describeRedisError(error, describeEndpoint(admin));
  if (problem.kind === "unavailable") return problem;
  const message = error instanceof Error ? error.message : String(error);
  const why = /unknown command/i.test(message) ? "this Redis has no ACLs (Redis 6 or newer is needed)" : /NOPERM/.test(message) ? "the user may not run ACL SETUSER/DELUSER" : message;
  return new DataProblem("refused", `${describeEndpoint(admin)} refused to ${doing}: ${why}`);
}
