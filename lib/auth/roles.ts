// The roles, lowest to highest. Client-safe: forms and the configuration check use it too.
export const ROLES = ["developer", "qa", "lead", "admin"] as const;

export type RoleName = (typeof ROLES)[number];
