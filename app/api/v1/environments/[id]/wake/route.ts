import { wakeEnvironment } from "@/lib/environments/sleep-environment";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/wake – bring a sleeping environment back to its replicas, in start order
export const POST = withRoute<{ id: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.wake", targetType: "environment" } },
  async ({ actor, params }) => wakeEnvironment(actor, params.id),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
