import { environmentData } from "@/lib/data/environment-data";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id/data – the environment's stores and its copies, newest first, with progress and verification
export const GET = withRoute<{ id: string }>({ permission: "environments:read" }, async ({ actor, params }) => environmentData(actor, params.id));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
