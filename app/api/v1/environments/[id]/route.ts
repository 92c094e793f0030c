import { destroyEnvironment } from "@/lib/environments/destroy-environment";
import { getEnvironmentOrThrow } from "@/lib/environments/get-environment-or-throw";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id – one environment with its components, what the cluster reports, and history
export const GET = withRoute<{ id: string }>({ permission: "environments:read" }, async ({ actor, params }) =>
  getEnvironmentOrThrow(params.id, actor),
);

// DELETE /api/v1/environments/:id – destroy it: the namespace goes in the background, the record stays
export const DELETE = withRoute<{ id: string }>(
  { permission: "environments:destroy", status: 202, audit: { action: "environment.destroy", targetType: "environment" } },
  async ({ actor, params }) => destroyEnvironment(actor, params.id),
);

export const { POST, PUT, PATCH } = otherMethods("GET", "DELETE");
