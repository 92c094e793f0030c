import { getEnvironmentOrThrow } from "@/lib/environments/get-environment-or-throw";
import { withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id – one environment with its components and history
export const GET = withRoute<{ id: string }>({ permission: "environments:read" }, async ({ params }) =>
  getEnvironmentOrThrow(params.id),
);
