import { addHostname } from "@/lib/environments/change-hostnames";
import { addHostnameSchema } from "@/lib/environments/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/hostnames – add a hostname inside the cluster's zone, routed to a component; its record follows in the background
export const POST = withRoute<{ id: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.add-hostname", targetType: "environment" } },
  async ({ actor, params, body }) => addHostname(actor, params.id, await body(addHostnameSchema)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
