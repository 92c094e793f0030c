import { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { createApiTokenSchema } from "@/lib/auth/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/tokens – the caller's API tokens (never their values)
export const GET = withRoute({ permission: "tokens:manage" }, async ({ actor }) => listApiTokens(actor));

// POST /api/v1/tokens – create a token; its value is in this answer only
export const POST = withRoute(
  {
    permission: "tokens:manage",
    status: 201,
    audit: { action: "token.create", targetType: "api-token", fields: ["name", "scopes", "expiresAt"] },
  },
  async ({ actor, body }) => createApiToken(actor, await body(createApiTokenSchema)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
