import { usageReport } from "@/lib/lifecycle/usage-report";
import { usageQuerySchema } from "@/lib/lifecycle/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/usage?days=30&by=owner – environments and cost a day, by owner or template, and totals
export const GET = withRoute({ permission: "environments:read" }, async ({ query }) => usageReport(query(usageQuerySchema)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
