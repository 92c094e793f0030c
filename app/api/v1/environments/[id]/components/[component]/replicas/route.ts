import { scaleComponent } from "@/lib/environments/scale-component";
import { scaleComponentSchema } from "@/lib/environments/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// PUT /api/v1/environments/:id/components/:component/replicas – run the component with another number of replicas
export const PUT = withRoute<{ id: string; component: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.scale-component", targetType: "environment" } },
  async ({ actor, params, body }) => scaleComponent(actor, params.id, params.component, (await body(scaleComponentSchema)).replicas),
);

export const { GET, POST, PATCH, DELETE } = otherMethods("PUT");
