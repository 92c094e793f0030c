import { removeHostname } from "@/lib/environments/change-hostnames";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// DELETE /api/v1/environments/:id/hostnames/:hostnameId – remove a hostname someone added; its record goes in the background
export const DELETE = withRoute<{ id: string; hostnameId: string }>(
  { permission: "environments:update", status: 202, audit: { action: "environment.remove-hostname", targetType: "environment" } },
  async ({ actor, params }) => removeHostname(actor, params.id, params.hostnameId),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
