import { pinEnvironment } from "@/lib/environments/pin-environment";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/pin – a lead pins it: no expiry, never destroyed for sleeping
export const POST = withRoute<{ id: string }>(
  { permission: "environments:update-any", audit: { action: "environment.pin", targetType: "environment" } },
  async ({ actor, params }) => pinEnvironment(actor, params.id, true),
);

// DELETE /api/v1/environments/:id/pin – take the pin away: it expires after its template's time to live
export const DELETE = withRoute<{ id: string }>(
  { permission: "environments:update-any", audit: { action: "environment.unpin", targetType: "environment", fields: ["expiresAt"] } },
  async ({ actor, params }) => pinEnvironment(actor, params.id, false),
);

export const { GET, PUT, PATCH } = otherMethods("POST", "DELETE");
