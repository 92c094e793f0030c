import { sendTestNotification } from "@/lib/lifecycle/send-test-notification";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/settings/lifecycle/test-webhook – post a test message to the notification webhook now, and say how it answered
export const POST = withRoute(
  { permission: "settings:manage", audit: { action: "settings.lifecycle.test-webhook", targetType: "settings", fields: ["ok"] } },
  async () => sendTestNotification(),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
