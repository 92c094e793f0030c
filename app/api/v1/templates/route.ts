import { withRoute } from "@/lib/http/with-route";
import { listTemplates } from "@/lib/templates/list-templates";

// GET /api/v1/templates – every template with its components' default versions
export const GET = withRoute({ permission: "templates:read" }, async () => listTemplates());
