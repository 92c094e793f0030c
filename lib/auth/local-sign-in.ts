import "server-only";
import type { z } from "zod";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { localSignInSchema } from "./schemas";

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
