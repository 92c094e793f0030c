import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { kubeClients } from "@/lib/kube/client";
import { readNamespaceLabels } from "@/lib/kube/apply";
import { toKubeError } from "@/lib/kube/errors";
import { LABELS } from "@/lib/kube/labels";

const LIMIT = 30;

/** The latest Kubernetes events in an environment's namespace, newest first by when each was last seen, with its count. */
export async function listKubeEvents(environmentId: string) {
  const env = await db.environment.findUnique({ where: { id: environmentId }, include: { cluster: true } });
  if (!env) throw new AppError("not_found", "There is no such environment.");
  if (!env.cluster || env.status === "destroyed") return { items: [] };
  const kube = kubeClients(env.cluster);
  let events;
  try {
    // Only this environment's own namespace: a namespace of the same name made by someone else is not ours to show.
    const labels = await readNamespaceLabels(kube, env.name);
    if (labels?.[LABELS.environment] !== env.id) return { items: [] };
    events = await kube.core.listNamespacedEvent({ namespace: env.name });
  } catch (error) {
    const e = toKubeError(error);
    if (e.status === 404) return { items: [] };
    throw new AppError("unavailable", `The cluster ${env.cluster.name} could not be asked for events: ${e.message}`);
  }
  const when = (...times: (Date | string | undefined | null)[]) => {
    const t = times.find((x) => x !== undefined && x !== null);
    return t ? new Date(t).toISOString() : new Date(0).toISOString();
  };
  // Newest first by when each was last seen (a repeating event moves up), first seen breaking ties.
  const items = events.items
    .map((e) => ({
      type: e.type ?? "Normal",
      reason: e.reason ?? "",
      message: e.message ?? "",
      object: `${e.involvedObject.kind ?? ""}/${e.involvedObject.name ?? ""}`,
      count: e.count ?? e.series?.count ?? 1,
      firstSeen: when(e.firstTimestamp, e.eventTime, e.metadata.creationTimestamp),
      lastSeen: when(e.series?.lastObservedTime, e.lastTimestamp, e.eventTime, e.firstTimestamp, e.metadata.creationTimestamp),
    }))
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || b.firstSeen.localeCompare(a.firstSeen))
    .slice(0, LIMIT);
  return { items };
}

export type KubeEventList = Awaited<ReturnType<typeof listKubeEvents>>;
