import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { changeEnvironment } from "./change-environment";

/**
 * Makes someone else the owner: from then on they may change and destroy it, and the one who
 * handed it over may not (unless a lead). The owner label of its objects follows by a reconcile.
 */
export async function handOverEnvironment(actor: Actor, id: string, to: string) {
  return changeEnvironment(actor, id, "hand-over", async (tx, env) => {
    const person = await tx.user.findFirst({ where: { OR: [{ email: { equals: to, mode: "insensitive" } }, { id: to }] }, select: { id: true, email: true } });
    if (!person) {
      throw new AppError("invalid_input", "Some fields are not valid.", { owner: [`Nobody with the e-mail “${to}” has signed in to Corral yet; they must sign in once first.`] });
    }
    if (person.id === env.ownerId) return null;
    const previous = await tx.user.findUnique({ where: { id: env.ownerId }, select: { email: true } });
    await tx.environment.update({ where: { id }, data: { ownerId: person.id } });
    return { message: `Handed over from ${previous?.email ?? "its former owner"} to ${person.email}` };
  });
}
