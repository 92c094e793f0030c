import { listAudit } from "@/lib/audit/list-audit";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/audit – audit entries, newest first, filtered by actor, action, target, outcome, time
export const GET = withRoute({ permission: "audit:read" }, async ({ query }) => listAudit(query(auditQuerySchema)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
