import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { environmentSelect, toEnvironmentDto } from "./environment-dto";
import { formatImage } from "./image-ref";
import type { ObservedComponent } from "./observe";

/** One environment as `viewer` sees it: components with what the cluster reports, actions, history. */
export async function getEnvironmentOrThrow(id: string, viewer: Actor) {
  const env = await db.environment.findUnique({
    where: { id },
    select: {
      ...environmentSelect,
      observed: true,
      appliedAt: true,
      components: { ...environmentSelect.components, select: { ...environmentSelect.components.select, previousTag: true, previousDigest: true } },
      history: { select: { id: true, fromStatus: true, toStatus: true, message: true, createdAt: true }, orderBy: { createdAt: "desc" }, take: 50 },
    },
  });
  if (!env) throw new AppError("not_found", "There is no such environment.");
  const observed = ((env.observed as { components?: ObservedComponent[] }).components ?? []).filter((o) => typeof o?.name === "string");
  const previous = new Map(
    env.components
      .filter((c) => c.previousRepository)
      .map((c) => [c.name, formatImage({ repository: c.previousRepository!, tag: c.previousTag, digest: c.previousDigest })]),
  );
  const dto = toEnvironmentDto(env, viewer);
  return {
    ...dto,
    components: dto.components.map((c) => ({
      ...c,
      previousImage: previous.get(c.name) ?? null,
      observed: observed.find((o) => o.name === c.name) ?? null,
    })),
    appliedAt: env.appliedAt?.toISOString() ?? null,
    history: env.history.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
  };
}

export type EnvironmentDetail = Awaited<ReturnType<typeof getEnvironmentOrThrow>>;
