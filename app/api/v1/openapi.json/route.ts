import { otherMethods, withPublicRoute } from "@/lib/http/with-route";
import { openApiDocument } from "@/lib/openapi/document";

// GET /api/v1/openapi.json – this API's OpenAPI 3.1 document. Anyone may read it: it describes
// shapes, never data or settings, and code generators and the CLI fetch it without a token.
export const GET = withPublicRoute(async () =>
  Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
