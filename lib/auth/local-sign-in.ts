import "server-only";
import { z } from "zod";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { ROLES } from "./permissions";

export const localSignInSchema = z.object({
  name: z
    .string({ error: "Name is required." })
    .trim()
    .min(1, { error: "Name is required." })
    .max(60, { error: "At most 60 characters." })
    .regex(/^[\p{L}\p{N} .'-]+$/u, { error: "Letters, digits, spaces, '.', ''' and '-' only." }),
  role: z.enum(ROLES, { error: `Role is one of ${ROLES.join(", ")}.` }),
});

/** The quick start's sign-in: whoever you say you are. Refused unless configuration allows it. */
export async function localSignIn(input: z.infer<typeof localSignInSchema>) {
  if (!config().CORRAL_LOCAL_SIGNIN) throw new AppError("forbidden", "Local sign-in is turned off on this installation.");
  const slug = input.name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, ".").replace(/^\.|\.$/g, "") || "user";
  const email = `${slug}@local.corral`;
  return db.user.upsert({
    where: { email },
    create: { email, name: input.name, role: input.role },
    update: { name: input.name, role: input.role },
    select: { id: true, email: true, name: true, role: true },
  });
}
