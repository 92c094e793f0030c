import { extendEnvironment } from "@/lib/environments/extend-environment";
import { extendSchema } from "@/lib/lifecycle/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/extend – move its expiry later: {hours} added, or {until}; at most the longest allowed
export const POST = withRoute<{ id: string }>(
  { permission: "environments:update", audit: { action: "environment.extend", targetType: "environment", fields: ["expiresAt"] } },
  async ({ actor, params, body }) => extendEnvironment(actor, params.id, await body(extendSchema)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
