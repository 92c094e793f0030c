import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { destroyEnvironment } from "./destroy-environment";

/**
 * A lead's tear-down of many environments at once: each is destroyed on its own (one may
 * refuse without stopping the rest), and the answer says what happened to every one asked for.
 */
export async function bulkDestroy(actor: Actor, ids: string[], reason?: string) {
  const unique = [...new Set(ids)];
  const found = await db.environment.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, status: true } });
  const byId = new Map(found.map((e) => [e.id, e]));
  const results: { id: string; name: string | null; outcome: "destroying" | "already-destroyed" | "refused" | "not-found"; message: string | null }[] = [];
  for (const id of unique) {
    const env = byId.get(id);
    if (!env) {
      results.push({ id, name: null, outcome: "not-found", message: "There is no such environment." });
      continue;
    }
    if (env.status === "destroyed") {
      results.push({ id, name: env.name, outcome: "already-destroyed", message: null });
      continue;
    }
    try {
      await destroyEnvironment(actor, id, reason ? `${reason} (bulk tear-down)` : "Bulk tear-down");
      results.push({ id, name: env.name, outcome: "destroying", message: null });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ id, name: env.name, outcome: error.code === "not_found" ? "not-found" : "refused", message: error.message });
    }
  }
  if (results.every((r) => r.outcome === "not-found")) throw new AppError("not_found", "None of these environments exists.");
  return { results, destroying: results.filter((r) => r.outcome === "destroying").length };
}
