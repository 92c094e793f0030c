import type { MysqlEndpoint } from "../types";
import { closeQuietly, openMysql, selectOne, type MysqlConnection } from "./connection";
import { mysqlErrorKind } from "./describe-mysql-error";

// Readers that all see the source at one moment. Each reader's START TRANSACTION WITH CONSISTENT
// SNAPSHOT fixes its own view; to make the views the same moment, commits must be held off while
// they start, as mysqldump and mydumper do: on MariaDB 10.4+ BACKUP STAGE BLOCK_COMMIT (blocks
// commits only, for a few milliseconds), on MySQL FLUSH TABLES WITH READ LOCK. Both need RELOAD,
// which read-only production users often lack; then each reader has its own snapshot, taken a few
// milliseconds apart ("per-reader"), and the result says so.

export type SnapshotKind = "global-lock" | "per-reader";

export interface SnapshotReaders {
  readers: MysqlConnection[];
  snapshot: SnapshotKind;
}

export async function openSnapshotReaders(source: MysqlEndpoint, count: number, track: (c: MysqlConnection) => void, signal?: AbortSignal): Promise<SnapshotReaders> {
  const readers: MysqlConnection[] = [];
  for (let i = 0; i < count; i++) {
    const c = await openMysql(source, { signal, what: "the source" });
    track(c);
    // Reading pauses while the target catches up: the server must not give up on a slow client.
    await c.query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    await c.query("SET SESSION net_write_timeout = 3600, net_read_timeout = 3600");
    readers.push(c);
  }
  const coordinator = await openMysql(source, { signal, what: "the source" });
  track(coordinator);
  let release: (() => Promise<unknown>) | null = null;
  try {
    await coordinator.query("SET SESSION lock_wait_timeout = 10");
    const { v } = await selectOne<{ v: string }>(coordinator, "SELECT VERSION() AS v");
    try {
      if (/mariadb/i.test(v)) {
        await coordinator.query("BACKUP STAGE START");
        release = () => coordinator.query("BACKUP STAGE END");
        await coordinator.query("BACKUP STAGE BLOCK_COMMIT");
      } else {
        await coordinator.query("FLUSH TABLES WITH READ LOCK");
        release = () => coordinator.query("UNLOCK TABLES");
      }
    } catch (error) {
      // No RELOAD grant, or writes that would not let go in time: settle for per-reader snapshots.
      if (!["refused", "unavailable"].includes(mysqlErrorKind(error)) && (error as { code?: string }).code !== "ER_LOCK_WAIT_TIMEOUT") throw error;
      if (release) await release().catch(() => {});
      release = null;
    }
    await Promise.all(readers.map((r) => r.query("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")));
    return { readers, snapshot: release ? "global-lock" : "per-reader" };
  } finally {
    if (release) await release().catch(() => {});
    closeQuietly(coordinator);
  }
}
