import { markNotificationsRead } from "@/lib/lifecycle/notifications";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/notifications/read – mark all of mine read
export const POST = withRoute({ permission: "profile:read" }, async ({ actor }) => markNotificationsRead(actor));

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
