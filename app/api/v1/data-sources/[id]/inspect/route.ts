import { inspectDataSource } from "@/lib/data/inspect-data-source";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/data-sources/:id/inspect – before a copy: a MySQL source's tables, and the columns that look personal but have no masking rule (a protected source: leads and admins)
export const GET = withRoute<{ id: string }>({ permission: "data:clone" }, async ({ actor, params }) => inspectDataSource(actor, params.id));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
