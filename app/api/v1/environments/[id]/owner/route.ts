import { handOverEnvironment } from "@/lib/environments/hand-over-environment";
import { handOverSchema } from "@/lib/environments/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// PUT /api/v1/environments/:id/owner – hand the environment to another person (by e-mail)
export const PUT = withRoute<{ id: string }>(
  { permission: "environments:update", audit: { action: "environment.hand-over", targetType: "environment", fields: ["name"] } },
  async ({ actor, params, body }) => handOverEnvironment(actor, params.id, (await body(handOverSchema)).owner),
);

export const { GET, POST, PATCH, DELETE } = otherMethods("PUT");
