import type { Redis } from "ioredis";
import { DataProblem } from "../data-problem";
import type { RedisEndpoint } from "../types";
import { describeEndpoint, withRedis } from "./connect";
import { countKeys } from "./empty-store";
import { describeRedisError } from "./redis-problem";

// "Test connection" for a Redis data source or store host: reaches the server, signs in, selects
// the db, then tries each command a copy needs on a key that does not exist (nothing is read or
// written), so that a missing permission is found now, named, rather than halfway through a copy.

const READ_COMMANDS = ["SCAN", "TYPE", "DUMP", "PTTL"] as const;
const PROBE_USER = "corral-connection-probe";

export async function testRedisConnection(e: RedisEndpoint, o: { needWrite: boolean; signal?: AbortSignal }): Promise<{ version: string; keys: number }> {
  return withRedis(
    e,
    async (client) => {
      const version = await serverVersion(client);
      const probe = `${e.keyPrefix}corral-connection-probe:${Date.now()}`;
      for (const command of READ_COMMANDS) {
        const args = command === "SCAN" ? ["0", "MATCH", `${e.keyPrefix}*`, "COUNT", "1"] : [probe];
        await tryCommand(client, e, command, args, "read from it");
      }
      if (o.needWrite) {
        // A payload Redis rejects: with the permission the answer is "bad payload", without it NOPERM.
        await tryCommand(client, e, "RESTORE", [probe, "0", "not a payload"], "copy into it", /payload|checksum/i);
        await tryCommand(client, e, "UNLINK", [probe], "empty it");
        await tryCommand(client, e, "ACL", ["SETUSER", PROBE_USER, "reset", "off"], "create stores' users on it");
        await tryCommand(client, e, "ACL", ["DELUSER", PROBE_USER], "remove stores' users from it");
      }
      return { version, keys: await countKeys(client, e.keyPrefix) };
    },
    { signal: o.signal, name: "corral-test-connection" },
  );
}

async function tryCommand(client: Redis, e: RedisEndpoint, command: string, args: string[], purpose: string, expected?: RegExp): Promise<void> {
  try {
    await client.call(command, ...args);
  } catch (error) {
    if (expected && error instanceof Error && expected.test(error.message)) return;
    const problem = describeRedisError(error, describeEndpoint(e));
    if (problem.kind !== "refused") throw problem;
    const name = command === "ACL" ? `ACL ${args[0]}` : command;
    throw new DataProblem("refused", `${describeEndpoint(e)}: the user may not run ${name}, which Corral needs to ${purpose}`, { cause: new Error((error as Error).message) });
  }
}

async function serverVersion(client: Redis): Promise<string> {
  try {
    // HELLO needs no permission (INFO is @dangerous, which read-only users often lack).
    const hello = (await client.call("HELLO", "2")) as unknown[];
    const i = hello.indexOf("version");
    if (i >= 0) return String(hello[i + 1]);
  } catch {
    // Redis 5 and older have no HELLO.
  }
  const info = await client.info("server");
  return /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
}
