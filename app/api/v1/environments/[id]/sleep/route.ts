import { sleepEnvironment } from "@/lib/environments/sleep-environment";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/sleep – scale it to zero (persistent components stay up); its names wake it
export const POST = withRoute<{ id: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.sleep", targetType: "environment" } },
  async ({ actor, params }) => sleepEnvironment(actor, params.id),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
