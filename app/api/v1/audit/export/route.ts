import { auditCsvStream } from "@/lib/audit/list-audit";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/audit/export – the same filters, every matching entry as a CSV download
export const GET = withRoute({ permission: "audit:read" }, async ({ query }) => {
  const stream = auditCsvStream(query(auditQuerySchema));
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="corral-audit-${stamp}.csv"` },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
