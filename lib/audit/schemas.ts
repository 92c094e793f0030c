import { z } from "zod";
import { line } from "@/lib/input/text";

export const auditQuerySchema = z.object({
  actor: line(320, "Actor").optional(),
  action: line(100, "Action").optional(),
  targetType: line(100, "Target type").optional(),
  targetId: line(100, "Target").optional(),
  outcome: line(50, "Outcome").optional(),
  from: z.iso.datetime({ offset: true, error: "From is a date and time such as 2026-11-01T00:00:00Z." }).optional(),
  to: z.iso.datetime({ offset: true, error: "To is a date and time such as 2026-11-30T00:00:00Z." }).optional(),
  cursor: line(64, "Cursor").optional(),
  limit: z.coerce.number({ error: "Limit is a number from 1 to 500." }).int().min(1).max(500, { error: "Limit is a number from 1 to 500." }).default(100),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** What the audit page filters by. */
export type AuditFilters = Partial<Pick<AuditQuery, "actor" | "action" | "outcome" | "from" | "to">>;
