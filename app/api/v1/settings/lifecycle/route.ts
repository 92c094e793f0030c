import { getLifecycleSettings, settingsDto, updateLifecycleSettings } from "@/lib/lifecycle/settings";
import { lifecycleSettingsSchema } from "@/lib/lifecycle/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/settings/lifecycle – time to live, warning, sleep and price settings (the webhook only as set or not)
export const GET = withRoute({ permission: "environments:read" }, async () => settingsDto(await getLifecycleSettings()));

// PUT /api/v1/settings/lifecycle – change them
export const PUT = withRoute(
  { permission: "settings:manage", audit: { action: "settings.lifecycle.update", targetType: "settings", fields: ["maxTtlHours", "warnBeforeHours", "idleSleepHours", "asleepDestroyHours", "notifyWebhookSet"] } },
  async ({ actor, body }) => updateLifecycleSettings(actor, await body(lifecycleSettingsSchema)),
);

export const { POST, PATCH, DELETE } = otherMethods("GET", "PUT");
