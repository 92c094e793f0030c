import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { environmentSelect, toEnvironmentDto } from "./environment-dto";
import type { ListEnvironmentsQuery } from "./schemas";

/** Newest first, a page at a time; the cursor is the id of the last row of the previous page. */
export async function listEnvironments(actor: Actor, query: ListEnvironmentsQuery) {
  const where: Prisma.EnvironmentWhereInput = {
    // Destroyed environments are history: shown only when asked for by status.
    status: query.status ? { in: query.status } : { not: "destroyed" },
  };
  if (query.owner) where.owner = { email: query.owner === "me" ? actor.email : query.owner };
  if (query.q) where.name = { contains: query.q.toLowerCase() };

  const rows = await db.environment.findMany({
    where,
    select: environmentSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((env) => toEnvironmentDto(env, actor)),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export type EnvironmentPage = Awaited<ReturnType<typeof listEnvironments>>;
