import type { Role } from "@/lib/db/generated/enums";
import { ROLES } from "./roles";

const RANK = Object.fromEntries(ROLES.map((role, index) => [role, index])) as Record<Role, number>;

/** Parses "platform-admins=admin,qa-team=qa" (validated by the configuration schema). */
export function parseRoleMap(text: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of text.split(",")) {
    const [group, role] = pair.split("=").map((s) => s.trim());
    if (group && role && role in RANK) map.set(group, role as Role);
  }
  return map;
}

/** The highest role any of a person's groups maps to; developer when none does. */
export function roleFromGroups(groups: unknown, roleMap: Map<string, Role>): Role {
  const list = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : typeof groups === "string" ? [groups] : [];
  let role: Role = "developer";
  for (const group of list) {
    const mapped = roleMap.get(group);
    if (mapped && RANK[mapped] > RANK[role]) role = mapped;
  }
  return role;
}
