import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { config } from "@/lib/config";

// The portal's busiest reads (the environments list, who is asking) as plain SQL on a pool of
// their own, as named prepared statements: Postgres plans each once per connection, and no
// query engine stands between the rows and the answer. Measured by bench/api.ts: through
// Prisma the list's page took ~2.3 ms of this process's time for the same statement, through
// here ~1.2 ms. Everything else goes through Prisma.

const globalForPool = globalThis as unknown as { corralReadPool?: pg.Pool };

function pool(): pg.Pool {
  if (!globalForPool.corralReadPool) {
    const created = new pg.Pool({ connectionString: config().DATABASE_URL, max: 10, application_name: "corral-reads" });
    // An idle connection's error must not crash the process; the next checkout gets a new one.
    created.on("error", () => {});
    globalForPool.corralReadPool = created;
  }
  return globalForPool.corralReadPool;
}

/** Runs a read as a prepared statement named after its text; rows as pg parses them (Date, JSON). */
export async function read<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
  const name = `r_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
  const result = await pool().query<T>({ name, text, values });
  return result.rows;
}

export async function closeReadPool(): Promise<void> {
  const p = globalForPool.corralReadPool;
  globalForPool.corralReadPool = undefined;
  await p?.end();
}
