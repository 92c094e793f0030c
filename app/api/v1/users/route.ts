import { listUsers } from "@/lib/auth/list-users";
import { listUsersQuerySchema } from "@/lib/auth/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/users?q= – people who have signed in, by name or e-mail (to hand an environment over)
export const GET = withRoute({ permission: "environments:update" }, async ({ query }) => listUsers(query(listUsersQuerySchema).q || undefined));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
