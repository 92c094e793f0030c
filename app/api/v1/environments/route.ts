import { createEnvironment } from "@/lib/environments/create-environment";
import { listEnvironmentsJson } from "@/lib/environments/list-environments";
import { createEnvironmentSchema, listEnvironmentsQuerySchema } from "@/lib/environments/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments – a page of environments, filtered by owner, status and name
export const GET = withRoute({ permission: "environments:read" }, async ({ actor, query }) => {
  const body = await listEnvironmentsJson(actor, query(listEnvironmentsQuerySchema));
  return new Response(body, { headers: { "content-type": "application/json" } });
});

// POST /api/v1/environments – record a new environment; provisioning happens in the background
export const POST = withRoute(
  {
    permission: "environments:create",
    status: 202,
    audit: { action: "environment.create", targetType: "environment" },
  },
  async ({ actor, body }) => createEnvironment(actor, await body(createEnvironmentSchema)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
