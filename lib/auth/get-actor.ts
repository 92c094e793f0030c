import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: "developer" | "qa" | "lead" | "admin";
  via: "session" | `token:${string}`;
}

/**
 * Who is making this request. Until sign-in lands (issue 4) every request acts as the
 * configured local user, created on first use.
 */
export async function getActor(_request: Request): Promise<Actor> {
  const { CORRAL_LOCAL_USER_EMAIL: email, CORRAL_LOCAL_USER_NAME: name } = config();
  const user = await db.user.upsert({
    where: { email },
    create: { email, name, role: "developer" },
    update: {},
    select: { id: true, email: true, name: true, role: true },
  });
  return { ...user, via: "session" };
}
