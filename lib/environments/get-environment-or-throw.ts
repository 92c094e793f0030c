import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { environmentSelect, toEnvironmentDto } from "./environment-dto";

export async function getEnvironmentOrThrow(id: string) {
  const env = await db.environment.findUnique({
    where: { id },
    select: {
      ...environmentSelect,
      events: { select: { id: true, fromStatus: true, toStatus: true, message: true, createdAt: true }, orderBy: { createdAt: "desc" }, take: 50 },
    },
  });
  if (!env) throw new AppError("not_found", "There is no such environment.");
  return {
    ...toEnvironmentDto(env),
    events: env.events.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
  };
}

export type EnvironmentDetail = Awaited<ReturnType<typeof getEnvironmentOrThrow>>;
