import { destroyEnvironment } from "@/lib/environments/destroy-environment";
import { getEnvironmentOrThrow } from "@/lib/environments/get-environment-or-throw";
import { destroyQuerySchema } from "@/lib/environments/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id – one environment with its components, what the cluster reports, and history
export const GET = withRoute<{ id: string }>({ permission: "environments:read" }, async ({ actor, params }) =>
  getEnvironmentOrThrow(params.id, actor),
);

// DELETE /api/v1/environments/:id?reason= – destroy it: the namespace goes in the background, the record stays
export const DELETE = withRoute<{ id: string }>(
  { permission: "environments:destroy", status: 202, audit: { action: "environment.destroy", targetType: "environment" } },
  async ({ actor, params, query }) => destroyEnvironment(actor, params.id, query(destroyQuerySchema).reason),
);

export const { POST, PUT, PATCH } = otherMethods("GET", "DELETE");
