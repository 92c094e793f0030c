import { otherMethods, withRoute } from "@/lib/http/with-route";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";

// POST /api/v1/webhooks/:id/test – send it a signed webhook.test event; the answer is the delivery, to follow in its log
export const POST = withRoute<{ id: string }>(
  { permission: "webhooks:manage", status: 202, audit: { action: "webhook.test", targetType: "webhook-delivery", fields: ["eventId"] } },
  async ({ actor, params }) => sendTestWebhook(actor, params.id),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
