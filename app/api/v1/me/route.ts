import { permissionsOf } from "@/lib/auth/permissions";
import { withRoute } from "@/lib/http/with-route";

// GET /api/v1/me – who is signed in, with their role and permissions
export const GET = withRoute({ permission: "profile:read" }, async ({ actor }) => ({
  id: actor.id,
  email: actor.email,
  name: actor.name,
  role: actor.role,
  via: actor.via,
  permissions: actor.scopes ?? permissionsOf(actor.role),
}));
