import { randomBytes } from "node:crypto";
import { createSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/db/generated/enums";

export const ORIGIN = "http://corral.test";

/** A person of `role` with a live session: the headers a browser on Corral's pages would send. */
export async function signedIn(role: Role, name = `${role}-${randomBytes(3).toString("hex")}`) {
  const user = await db.user.create({ data: { email: `${name}@example.com`, name, role } });
  const session = await createSession(user.id, "local", {});
  return { user, headers: { cookie: `corral_session=${session.token}`, origin: ORIGIN } };
}
