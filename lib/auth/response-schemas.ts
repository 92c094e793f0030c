import { z } from "zod";
import type { Fits } from "@/lib/openapi/fits";
import type { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens";
import type { ActorDescription } from "./describe-actor";
import type { UserList } from "./list-users";
import type { localSignIn } from "./local-sign-in";
import { ALL_PERMISSIONS } from "./permissions";
import { ROLES } from "./roles";

// What the sign-in, profile and token APIs answer, for the API document (lib/openapi), held
// to the DTOs by `Fits`.

const iso = z.iso.datetime({ offset: true });
const permission = z.enum(ALL_PERMISSIONS);

export const meSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    via: z.string().regex(/^(session|token:.+)$/).meta({ description: "`session`, or `token:<id>` for an API token." }),
    permissions: z.array(permission).meta({ description: "What the caller may do: the role's, narrowed to a token's scopes." }),
  })
  .meta({ id: "Me" });

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The first characters of the value, to recognise it." }),
    scopes: z.array(z.string()),
    expiresAt: iso.nullable(),
    lastUsedAt: iso.nullable(),
    revokedAt: iso.nullable(),
    createdAt: iso,
  })
  .meta({ id: "ApiToken" });

export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });

export const createdApiTokenSchema = apiTokenSchema
  .extend({ token: z.string().meta({ description: "The value (`crl_…`), for `Authorization: Bearer`: in this answer only, never again." }) })
  .meta({ id: "CreatedApiToken" });

export const userListSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })) });

export const signedInSchema = z.object({ user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES) }) });

type _Me = Fits<ActorDescription, typeof meSchema>;
type _Tokens = Fits<Awaited<ReturnType<typeof listApiTokens>>, typeof apiTokenListSchema>;
type _Created = Fits<Awaited<ReturnType<typeof createApiToken>>, typeof createdApiTokenSchema>;
type _Revoked = Fits<Awaited<ReturnType<typeof revokeApiToken>>, typeof apiTokenSchema>;
type _Users = Fits<UserList, typeof userListSchema>;
type _SignedIn = Fits<{ user: Awaited<ReturnType<typeof localSignIn>> }, typeof signedInSchema>;
