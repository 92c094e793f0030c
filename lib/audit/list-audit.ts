import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { AuditQuery } from "./schemas";

function where(q: AuditQuery): Prisma.AuditEventWhereInput {
  return {
    ...(q.actor ? { actor: { email: q.actor.toLowerCase() } } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.targetType ? { targetType: q.targetType } : {}),
    ...(q.targetId ? { targetId: q.targetId } : {}),
    ...(q.outcome ? { outcome: q.outcome } : {}),
    ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lt: new Date(q.to) } : {}) } } : {}),
  };
}

const select = {
  id: true,
  via: true,
  action: true,
  targetType: true,
  targetId: true,
  ip: true,
  outcome: true,
  details: true,
  createdAt: true,
  actor: { select: { email: true, name: true } },
} as const;

type Row = Prisma.AuditEventGetPayload<{ select: typeof select }>;

function toDto(row: Row) {
  return { ...row, createdAt: row.createdAt.toISOString(), details: row.details as Record<string, unknown> };
}

export async function listAudit(q: AuditQuery) {
  const rows = await db.auditEvent.findMany({
    where: where(q),
    select,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, q.limit);
  return { items: page.map(toDto), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}

export type AuditPage = Awaited<ReturnType<typeof listAudit>>;

const COLUMNS = ["time", "actor", "via", "action", "target_type", "target_id", "outcome", "ip", "details"];

/** Every matching entry as CSV, read a batch at a time so an export of a year stays small. */
export function auditCsvStream(q: AuditQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${COLUMNS.join(",")}\r\n`));
      }
      const page = await listAudit({ ...q, limit: 500, cursor });
      const lines = page.items.map((e) =>
        [e.createdAt, e.actor?.email ?? "", e.via, e.action, e.targetType, e.targetId ?? "", e.outcome, e.ip ?? "", JSON.stringify(e.details)]
          .map(csvCell)
          .join(","),
      );
      if (lines.length > 0) controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
      if (!page.nextCursor) controller.close();
      else cursor = page.nextCursor;
    },
  });
}

// RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula.
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
