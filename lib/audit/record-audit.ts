import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";

export interface AuditEntry {
  /** Null id with via "system": Corral itself. */
  actor: { id: string | null; via: Actor["via"] | "system" } | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  ip?: string | null;
  outcome: string;
  /** Names and ids only: callers never pass request bodies, so no secret can get in. */
  details?: Record<string, string | number | boolean | string[] | null>;
}

/** Writes one audit entry. A failure to audit is logged loudly but does not undo the action. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  try {
    await db.auditEvent.create({
      data: {
        actorId: entry.actor?.id ?? null,
        via: entry.actor?.via ?? "anonymous",
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId ?? null,
        ip: entry.ip ?? null,
        outcome: entry.outcome,
        details: entry.details ?? {},
      },
    });
  } catch (error) {
    log.error({ err: error, action: entry.action }, "audit entry could not be written");
  }
}

/**
 * What Corral did by itself (an expiry, a sweep, a retry, the end of a destroy): the actor is
 * the system and the cause says why ("system: sweep", or the person whose request started it).
 */
export async function recordSystemAudit(entry: { action: string; targetType: string; targetId: string | null; cause: string; outcome?: string; details?: AuditEntry["details"] }): Promise<void> {
  await recordAudit({
    actor: { id: null, via: "system" },
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    outcome: entry.outcome ?? "ok",
    details: { ...entry.details, cause: entry.cause },
  });
}
