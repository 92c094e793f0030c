import "server-only";
import pg from "pg";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { lockKey } from "@/lib/jobs/key-lock";
import { log } from "@/lib/log";
import { watchCluster } from "./cluster-watcher";

// With several worker processes, each cluster's watches run in exactly one: the one holding
// the cluster's lease, a Postgres advisory lock on a connection kept for the purpose. A
// process that dies loses its connection, the server releases its locks at once, and another
// worker takes the cluster over at its next look (every few seconds).

const LOOK_EVERY_MS = 5_000;

interface Held {
  stop: () => Promise<void>;
}

export interface ClusterLeases {
  /** Cluster ids watched by this process now. */
  held(): string[];
  stop(): Promise<void>;
}

export async function startClusterLeases(options: { lookEveryMs?: number } = {}): Promise<ClusterLeases> {
  const every = options.lookEveryMs ?? LOOK_EVERY_MS;
  const held = new Map<string, Held>();
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let looking: Promise<void> = Promise.resolve();

  const dropAll = async (why: string) => {
    if (held.size > 0) log.warn({ clusters: held.size, why }, "cluster leases lost; watches stopped");
    const all = [...held.values()];
    held.clear();
    await Promise.all(all.map((h) => h.stop().catch(() => {})));
  };

  const connection = async (): Promise<pg.Client> => {
    if (client) return client;
    // The process id in the name, so an operator (and the takeover test) can tell which worker holds a lease.
    const next = new pg.Client({ connectionString: config().DATABASE_URL, application_name: `corral-cluster-leases:${process.pid}`, keepAlive: true });
    next.on("error", () => {
      if (client === next) client = null;
      void dropAll("lease connection lost");
    });
    await next.connect();
    client = next;
    return next;
  };

  const look = async () => {
    if (stopped) return;
    try {
      const c = await connection();
      const clusters = await db.cluster.findMany({ select: { id: true, name: true, kubeContext: true, inCluster: true } });
      const known = new Set(clusters.map((cl) => cl.id));
      // A cluster removed meanwhile: stop watching it and let its lease go.
      for (const [id, h] of held) {
        if (known.has(id)) continue;
        held.delete(id);
        await h.stop().catch(() => {});
        await c.query("SELECT pg_advisory_unlock($1::bigint)", [lockKey(`cluster:${id}`).toString()]).catch(() => {});
      }
      for (const cluster of clusters) {
        if (held.has(cluster.id) || stopped) continue;
        const key = lockKey(`cluster:${cluster.id}`).toString();
        const got = await c.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
        if (!got.rows[0]?.locked) continue; // another worker watches it
        try {
          const watching = await watchCluster(cluster);
          // The lease's connection went while the watch was starting: the lease is gone with it.
          if (client !== c || stopped) {
            await watching.stop().catch(() => {});
            continue;
          }
          held.set(cluster.id, watching);
          log.info({ cluster: cluster.name }, "watching cluster");
        } catch (error) {
          await c.query("SELECT pg_advisory_unlock($1::bigint)", [key]).catch(() => {});
          log.warn({ cluster: cluster.name, err: String((error as Error)?.message ?? error) }, "cannot watch cluster yet");
        }
      }
    } catch (error) {
      log.warn({ err: String((error as Error)?.message ?? error) }, "cluster leases: could not look; will look again");
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      looking = look().finally(schedule);
    }, every * (0.8 + Math.random() * 0.4));
  };
  looking = look().finally(schedule);
  await looking;

  return {
    held: () => [...held.keys()],
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await looking.catch(() => {});
      await dropAll("stopping");
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
