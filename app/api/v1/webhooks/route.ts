import { otherMethods, withRoute } from "@/lib/http/with-route";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { createWebhookSchema, listWebhooksQuerySchema } from "@/lib/webhooks/schemas";

// GET /api/v1/webhooks – the webhooks the caller manages (?environmentId= for one environment's); never their secrets
export const GET = withRoute({ permission: "webhooks:manage" }, async ({ actor, query }) => listWebhooks(actor, query(listWebhooksQuerySchema)));

// POST /api/v1/webhooks – subscribe a URL to events of one environment (its owner, leads, admins) or of every one (admins); the signing secret is in this answer only
export const POST = withRoute(
  { permission: "webhooks:manage", status: 201, audit: { action: "webhook.create", targetType: "webhook", fields: ["description", "events", "environmentId", "active"] } },
  async ({ actor, body }) => createWebhook(actor, await body(createWebhookSchema)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
