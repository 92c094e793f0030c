import { changeVersion } from "@/lib/environments/change-version";
import { changeVersionSchema } from "@/lib/environments/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// PATCH /api/v1/environments/:id/components/:component – pin the component to another image; rolls out in the background
export const PATCH = withRoute<{ id: string; component: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.change-version", targetType: "environment" } },
  async ({ actor, params, body }) => changeVersion(actor, params.id, params.component, (await body(changeVersionSchema)).image),
);

export const { GET, POST, PUT, DELETE } = otherMethods("PATCH");
