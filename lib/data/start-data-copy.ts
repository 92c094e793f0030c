import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { actorMay } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { assertMayAct } from "@/lib/environments/state-machine";
import { dataCopyJob } from "@/lib/jobs/definitions/data-copy";
import { ensureQueue, enqueue } from "@/lib/jobs/queue";
import { copyDto, copySelect } from "./data-copy-dto";
import { settleStaleCopies } from "./settle-stale-copies";
import { STORE_KIND_LABELS, type CopyInput } from "./schemas";
import { touchActivity } from "@/lib/lifecycle/touch-activity";

/**
 * Asks for a copy into an environment's store: who may, from what, into which store, confirmed
 * by the environment's name because its data is replaced. Records the copy and enqueues its
 * job; the work happens there.
 */
export async function startDataCopy(actor: Actor, environmentId: string, input: CopyInput) {
  const env = await db.environment.findUnique({ where: { id: environmentId }, select: { id: true, name: true, ownerId: true, lifecycle: true, stores: true } });
  if (!env) throw new AppError("not_found", "There is no such environment.");
  assertMayAct(actor, env.ownerId, "update");
  if (input.confirm !== env.name) throw new AppError("invalid_input", "Some fields are not valid.", { confirm: [`Type ${env.name} to confirm that its ${STORE_KIND_LABELS[input.kind]} data is replaced.`] });
  const label = STORE_KIND_LABELS[input.kind];
  const target = env.stores.find((s) => s.kind === input.kind);
  if (!target) throw new AppError("conflict", `${env.name} has no ${label} store: its template does not ask for one, or no ${label} store host is registered.`);
  if (target.status !== "ready") throw new AppError("conflict", `${env.name}'s ${label} store is ${target.status}${target.reason ? ` (${target.reason})` : ""}; a copy can start once it is ready.`, { status: target.status });

  let masked = false;
  if (input.sourceId) {
    const source = await db.dataSource.findUnique({ where: { id: input.sourceId }, select: { id: true, name: true, kind: true, protected: true, storeHost: true } });
    if (!source || source.storeHost) throw new AppError("invalid_input", "Some fields are not valid.", { sourceId: ["There is no such data source to copy from."] });
    if (source.kind !== input.kind) throw new AppError("invalid_input", "Some fields are not valid.", { sourceId: [`${source.name} is a ${STORE_KIND_LABELS[source.kind]} source; this copy is into the ${label} store.`] });
    if (source.protected) {
      if (!actorMay(actor, "data:clone-protected")) {
        throw new AppError("forbidden", `${source.name} is protected (production): copying from it needs the lead role or the data:clone-protected permission.`);
      }
      masked = source.kind !== "s3"; // always, with the source's rules (S3 objects are copied as they are)
    }
  } else {
    const from = await db.environment.findUnique({ where: { id: input.sourceEnvironmentId! }, select: { id: true, name: true, ownerId: true, lifecycle: true, stores: { where: { kind: input.kind } } } });
    if (!from || from.lifecycle !== "active") throw new AppError("invalid_input", "Some fields are not valid.", { sourceEnvironmentId: ["There is no such live environment to copy from."] });
    if (from.id === env.id) throw new AppError("invalid_input", "Some fields are not valid.", { sourceEnvironmentId: ["An environment cannot be copied into itself."] });
    // Reading another person's data is a change to nobody's environment, but it is their data.
    assertMayAct(actor, from.ownerId, "update");
    if (from.stores[0]?.status !== "ready") throw new AppError("invalid_input", "Some fields are not valid.", { sourceEnvironmentId: [`${from.name} has no ready ${label} store to copy from.`] });
  }

  await settleStaleCopies(environmentId);
  await ensureQueue(dataCopyJob); // pg-boss's own pool: not inside the transaction below
  const copy = await db.$transaction(
    async (tx) => {
      // One copy a store at a time, however many ask at once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`data-copy:${environmentId}:${input.kind}`}))`;
      const running = await tx.dataCopy.findFirst({ where: { environmentId, kind: input.kind, status: { in: ["pending", "running"] } }, select: { id: true } });
      if (running) throw new AppError("conflict", `A ${label} copy into ${env.name} is already under way; cancel it or wait for it.`);
      const created = await tx.dataCopy.create({
        data: {
          environmentId,
          kind: input.kind,
          sourceId: input.sourceId ?? null,
          sourceEnvironmentId: input.sourceEnvironmentId ?? null,
          requestedById: actor.id,
          masked,
          options: { ...(input.tables ? { tables: input.tables } : {}), ...(input.rowFilters ? { rowFilters: input.rowFilters } : {}), ...(input.pattern ? { pattern: input.pattern } : {}) },
        },
        select: { id: true },
      });
      const jobId = await enqueue(dataCopyJob, { environmentId, copyId: created.id }, { cause: actor.email, tx });
      await tx.dataCopy.update({ where: { id: created.id }, data: { jobId } });
      await tx.historyEntry.create({ data: { environmentId, message: `${label} copy requested${masked ? " (masked)" : ""} (by ${actor.email})` } });
      return created;
    },
    { timeout: 10_000 },
  );
  await touchActivity(env.id, "data copy");
  return copyDto(await db.dataCopy.findUniqueOrThrow({ where: { id: copy.id }, select: copySelect }));
}
