import { upgradeEnvironment } from "@/lib/environments/upgrade-environment";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/upgrade – move every component to its template's current version
export const POST = withRoute<{ id: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.upgrade", targetType: "environment" } },
  async ({ actor, params }) => upgradeEnvironment(actor, params.id),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
