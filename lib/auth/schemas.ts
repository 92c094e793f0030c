import { z } from "zod";
import { line } from "@/lib/input/text";
import { ALL_PERMISSIONS, type Permission } from "./permissions";
import { ROLES } from "./roles";

// Input shapes of sign-in and tokens; the forms check with the same schemas.

export const localSignInSchema = z.object({
  name: z
    .string({ error: "Name is required." })
    .trim()
    .min(1, { error: "Name is required." })
    .max(60, { error: "At most 60 characters." })
    .regex(/^[\p{L}\p{N} .'-]+$/u, { error: "Letters, digits, spaces, '.', ''' and '-' only." }),
  role: z.enum(ROLES, { error: `Role is one of ${ROLES.join(", ")}.` }),
});

export const createApiTokenSchema = z.object({
  name: line(100, "Name").trim().min(1, { error: "Name is required." }),
  scopes: z
    .array(z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]], { error: "Unknown scope." }), { error: "Choose at least one scope." })
    .min(1, { error: "Choose at least one scope." }),
  expiresInDays: z.number({ error: "Expiry is a number of days from 1 to 365." }).int().min(1).max(365, { error: "At most 365 days." }),
});

export type CreateApiTokenInput = z.infer<typeof createApiTokenSchema>;

export const listUsersQuerySchema = z.object({ q: line(320, "Search").trim().optional() });
