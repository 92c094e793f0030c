import { restartComponent } from "@/lib/environments/restart-component";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/components/:component/restart – replace every pod of the component; rolls out in the background
export const POST = withRoute<{ id: string; component: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.restart-component", targetType: "environment" } },
  async ({ actor, params }) => restartComponent(actor, params.id, params.component),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
