import { rollbackEnvironment } from "@/lib/environments/rollback-environment";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/rollback – put every changed component back on its previous image
export const POST = withRoute<{ id: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.rollback", targetType: "environment" } },
  async ({ actor, params }) => rollbackEnvironment(actor, params.id),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
