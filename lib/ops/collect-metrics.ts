import "server-only";
import { db } from "@/lib/db/client";
import { JOB_DEFINITIONS } from "@/lib/jobs/registry";
import { metrics } from "./metrics";

/** The registry's text, with the queue's depth and age read now (the queue is shared, so any process can tell). */
export async function collectMetrics(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  const rows = await db.$queryRaw<{ name: string; depth: bigint; oldest: number | null }[]>`
    SELECT name, count(*) AS depth, EXTRACT(EPOCH FROM now() - min(created_on))::float8 AS oldest
    FROM pgboss.job WHERE state IN ('created', 'retry') GROUP BY name`.catch(() => []);
  for (const d of JOB_DEFINITIONS) {
    const row = rows.find((r) => r.name === d.name);
    m.queueDepth.set({ kind: d.name }, Number(row?.depth ?? 0));
    m.queueAge.set({ kind: d.name }, row?.oldest ?? 0);
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
