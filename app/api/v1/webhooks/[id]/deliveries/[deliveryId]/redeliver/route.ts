import { otherMethods, withRoute } from "@/lib/http/with-route";
import { redeliverWebhook } from "@/lib/webhooks/redeliver-webhook";

// POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver – send a settled delivery again (same event id, fresh signature)
export const POST = withRoute<{ id: string; deliveryId: string }>(
  { permission: "webhooks:manage", status: 202, audit: { action: "webhook.redeliver", targetType: "webhook-delivery", fields: ["eventId", "kind"] } },
  async ({ actor, params }) => redeliverWebhook(actor, params.id, params.deliveryId),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
