import { describeActor } from "@/lib/auth/describe-actor";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/me – who is signed in, with their role and permissions
export const GET = withRoute({ permission: "profile:read" }, async ({ actor }) => describeActor(actor));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
