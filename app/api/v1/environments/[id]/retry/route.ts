import { retryEnvironment } from "@/lib/environments/retry-environment";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/retry – apply the desired state again after a failure
export const POST = withRoute<{ id: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.retry", targetType: "environment" } },
  async ({ actor, params }) => retryEnvironment(actor, params.id),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
