import "server-only";
import { db } from "@/lib/db/client";

/** People who have signed in, for choosing one (a new owner): by name or e-mail, at most 20. */
export async function listUsers(q: string | undefined) {
  const items = await db.user.findMany({
    where: q ? { OR: [{ email: { contains: q, mode: "insensitive" } }, { name: { contains: q, mode: "insensitive" } }] } : {},
    select: { id: true, name: true, email: true },
    orderBy: { email: "asc" },
    take: 20,
  });
  return { items };
}

export type UserList = Awaited<ReturnType<typeof listUsers>>;
