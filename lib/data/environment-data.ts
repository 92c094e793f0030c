import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { copyDto, copySelect } from "./data-copy-dto";
import { STORE_KIND_LABELS } from "./schemas";
import { settleStaleCopies } from "./settle-stale-copies";
import { mayAct } from "@/lib/environments/state-machine";

/**
 * An environment's data, for its page and for pipelines: each store the template asks for (or
 * why there is none), and the copies into it, newest first. Connection details for the store's
 * own user are in the namespace's `corral-data` Secret, not here.
 */
export async function environmentData(actor: Actor, environmentId: string) {
  await settleStaleCopies(environmentId);
  const env = await db.environment.findUnique({
    where: { id: environmentId },
    select: {
      id: true,
      name: true,
      ownerId: true,
      template: { select: { dataStores: true } },
      stores: { orderBy: { kind: "asc" }, select: { id: true, kind: true, name: true, status: true, reason: true, incomplete: true, host: { select: { name: true } } } },
      dataCopies: { orderBy: { createdAt: "desc" }, take: 20, select: copySelect },
    },
  });
  if (!env) throw new AppError("not_found", "There is no such environment.");
  const wanted = env.template?.dataStores ?? [];
  const stores = env.stores.map((s) => ({ kind: s.kind, name: s.name, host: s.host.name, status: s.status, reason: s.reason, incomplete: s.incomplete }));
  for (const kind of wanted) {
    if (!stores.some((s) => s.kind === kind)) {
      stores.push({ kind, name: "", host: "", status: "failed", reason: `No ${STORE_KIND_LABELS[kind]} store host is registered: an admin must add one under Data sources.`, incomplete: false });
    }
  }
  // Row filters may hold values from the data (an e-mail, a customer id): for those who may change it.
  const mayChange = mayAct(actor, env.ownerId, "update");
  return { stores, copies: env.dataCopies.map(copyDto).map((c) => (mayChange ? c : { ...c, options: { ...c.options, rowFilters: undefined } })) };
}

export type EnvironmentData = Awaited<ReturnType<typeof environmentData>>;
