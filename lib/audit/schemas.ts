import { z } from "zod";

export const auditQuerySchema = z.object({
  actor: z.string().max(320).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(100).optional(),
  outcome: z.string().max(50).optional(),
  from: z.iso.datetime({ offset: true, error: "From is a date and time such as 2026-11-01T00:00:00Z." }).optional(),
  to: z.iso.datetime({ offset: true, error: "To is a date and time such as 2026-11-30T00:00:00Z." }).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number({ error: "Limit is a number from 1 to 500." }).int().min(1).max(500, { error: "Limit is a number from 1 to 500." }).default(100),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** What the audit page filters by. */
export type AuditFilters = Partial<Pick<AuditQuery, "actor" | "action" | "outcome" | "from" | "to">>;
