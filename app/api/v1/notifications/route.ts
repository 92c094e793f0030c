import { listNotifications } from "@/lib/lifecycle/notifications";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/notifications – what Corral told me about my environments, newest first, with the unread count
export const GET = withRoute({ permission: "profile:read" }, async ({ actor }) => listNotifications(actor));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
