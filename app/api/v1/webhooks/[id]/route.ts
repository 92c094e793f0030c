import { otherMethods, withRoute } from "@/lib/http/with-route";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { getWebhookOrThrow } from "@/lib/webhooks/get-webhook-or-throw";
import { updateWebhookSchema } from "@/lib/webhooks/schemas";
import { updateWebhook } from "@/lib/webhooks/update-webhook";
import { toWebhookDto } from "@/lib/webhooks/webhook-dto";

// GET /api/v1/webhooks/:id – one webhook's URL, events and scope (never its secret)
export const GET = withRoute<{ id: string }>({ permission: "webhooks:manage" }, async ({ actor, params }) => toWebhookDto(await getWebhookOrThrow(actor, params.id)));

// PATCH /api/v1/webhooks/:id – change its URL, events or description, or pause and resume it (active)
export const PATCH = withRoute<{ id: string }>(
  { permission: "webhooks:manage", audit: { action: "webhook.update", targetType: "webhook", fields: ["description", "events", "environmentId", "active"] } },
  async ({ actor, params, body }) => updateWebhook(actor, params.id, await body(updateWebhookSchema)),
);

// DELETE /api/v1/webhooks/:id – remove it and its delivery log
export const DELETE = withRoute<{ id: string }>(
  { permission: "webhooks:manage", audit: { action: "webhook.delete", targetType: "webhook", fields: ["description", "environmentId"] } },
  async ({ actor, params }) => deleteWebhook(actor, params.id),
);

export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
