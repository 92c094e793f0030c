import type { Role } from "@/lib/db/generated/enums";
import type { Permission } from "./permissions";

/** Who is making a request, and through what. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  via: "session" | `token:${string}`;
  /** A token's scopes; a session may use everything its role may. */
  scopes: Permission[] | null;
}
