import { inspectDataSource } from "@/lib/data/inspect-data-source";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/data-sources/:id/inspect – before a copy: a MySQL source's tables, and the columns that look personal but have no masking rule
export const GET = withRoute<{ id: string }>({ permission: "data:clone" }, async ({ params }) => inspectDataSource(params.id));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
