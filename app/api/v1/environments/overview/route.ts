import { environmentsOverview } from "@/lib/lifecycle/overview";
import { overviewQuerySchema } from "@/lib/lifecycle/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/overview – every live environment with age, last activity, expiry, owner and cost, sorted and filtered
export const GET = withRoute({ permission: "environments:read" }, async ({ actor, query }) => environmentsOverview(actor, query(overviewQuerySchema)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
