import { readComponentEnv } from "@/lib/environments/read-component-env";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/environments/:id/components/:component/env – the component's environment variables, Secrets' values hidden; audited
export const GET = withRoute<{ id: string; component: string }>(
  { permission: "environments:update", audit: { action: "environment.read-env", targetType: "environment" } },
  async ({ actor, params }) => readComponentEnv(actor, params.id, params.component),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
