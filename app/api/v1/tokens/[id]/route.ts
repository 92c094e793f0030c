import { revokeApiToken } from "@/lib/auth/api-tokens";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// DELETE /api/v1/tokens/:id – revoke one of the caller's tokens, effective at once
export const DELETE = withRoute<{ id: string }>(
  { permission: "tokens:manage", audit: { action: "token.revoke", targetType: "api-token" } },
  async ({ actor, params }) => revokeApiToken(actor, params.id),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
