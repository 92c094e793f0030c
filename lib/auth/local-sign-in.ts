import "server-only";
import { createHash } from "node:crypto";
import type { z } from "zod";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { localSignInSchema } from "./schemas";

const userSelect = { id: true, email: true, name: true, role: true } as const;

/**
 * The quick start's sign-in: whoever you say you are. Refused unless configuration allows it.
 * Distinct names are distinct people ("Sec Lead" is not "sec.lead" is not "ſec lead"), and a
 * name keeps the role it first signed in with: signing in again with another role is refused
 * rather than silently changing the role of that person's open sessions.
 */
export async function localSignIn(input: z.infer<typeof localSignInSchema>) {
  if (!config().CORRAL_LOCAL_SIGNIN) throw new AppError("forbidden", "Local sign-in is turned off on this installation.");
  const name = input.name.normalize("NFC");
  const email = localEmail(name);
  const user =
    (await db.user.findUnique({ where: { email }, select: userSelect })) ??
    (await db.user
      .create({ data: { email, name, role: input.role }, select: userSelect })
      // Two first sign-ins of one name at once: the other one made the account.
      .catch(async (error: unknown) => {
        const raced = await db.user.findUnique({ where: { email }, select: userSelect });
        if (!raced) throw error;
        return raced;
      }));
  if (user.role !== input.role) {
    throw new AppError("conflict", `“${name}” has signed in here before as ${user.role}.`, {
      role: [`“${name}” is a ${user.role}. Sign in as ${user.role}, or choose another name for another role.`],
    });
  }
  return user;
}

/** A readable address for the name, with a short hash of the exact name unless the name is that readable form already. */
export function localEmail(name: string): string {
  const slug = name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, ".").replace(/^\.|\.$/g, "") || "user";
  if (slug === name) return `${slug}@local.corral`;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${slug}.${hash}@local.corral`;
}
