import { z } from "zod";
import { listUsers } from "@/lib/auth/list-users";
import { otherMethods, withRoute } from "@/lib/http/with-route";
import { line } from "@/lib/input/text";

const querySchema = z.object({ q: line(320, "Search").trim().optional() });

// GET /api/v1/users?q= – people who have signed in, by name or e-mail (to hand an environment over)
export const GET = withRoute({ permission: "environments:read" }, async ({ query }) => listUsers(query(querySchema).q || undefined));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
