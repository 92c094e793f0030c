import "server-only";
import { type IngressTarget, parseIngressTarget, recordsFor } from "@/lib/clusters/ingress-target";
import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { notifyEnvironmentChanged } from "@/lib/environments/change-feed";
import type { JobContext } from "@/lib/jobs/define-job";
import { destroyJob } from "@/lib/jobs/definitions/environment-destroy";
import { enqueueMany } from "@/lib/jobs/queue";
import { DnsProblem } from "./dns-problem";
import { planZone } from "./plan-zone";
import { applyChanges, findZone, listZoneRecords, waitInSync } from "./route53";
import type { WantedRecord } from "./types";

// How long one pass waits for Route 53 to report INSYNC before it lets go (the cluster's other
// DNS work waits behind it) and looks again later: a later pass finds those names as wanted.
const IN_SYNC_WAIT_MS = 5_000;

type SyncContext = Pick<JobContext, "signal" | "log" | "runAgainAfter" | "retryTransient">;
type Status = "pending" | "active" | "failed" | "conflict";

/**
 * The DNS reconciler of one cluster's zone: what its environments want (their hostname rows)
 * against what the zone holds, read whole with paginated ListResourceRecordSets. Creates and
 * repairs Corral's records, deletes those of names no longer wanted, never touches a record
 * that is not Corral's (a conflict, shown on the environment), and calls a name live only
 * when Route 53 says INSYNC. Idempotent: a crash anywhere leaves what the next pass finishes.
 */
export async function syncClusterDns(clusterId: string, ctx: SyncContext) {
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) return;
  const rows = await db.hostname.findMany({
    where: { environment: { clusterId } },
    select: { id: true, fqdn: true, status: true, reason: true, changeId: true, environmentId: true, environment: { select: { lifecycle: true, status: true } } },
  });
  const target = cluster.ingressHost ? parseIngressTarget(cluster.ingressHost) : null;

  if (!cluster.dnsDomain || !target) {
    const reason = `The cluster ${cluster.name} has no ${cluster.dnsDomain ? "ingress target" : "DNS zone"}: an admin sets it on the Clusters page.`;
    await db.hostname.deleteMany({ where: { id: { in: rows.filter(leaving).map((r) => r.id) } } });
    await setStatus(rows.filter((r) => !leaving(r)).map((r) => r.id), "pending", reason);
    return;
  }
  try {
    await syncZone(cluster as typeof cluster & { dnsDomain: string }, target, rows, ctx);
  } catch (error) {
    // Said on every name it concerns (a destroy waiting on them shows it). What passes by itself
    // (throttling, 5xx, dropped connections, after the gateway's own retries) is tried again after
    // a capped backoff for as long as it takes; anything else is retried by the queue.
    const why = error instanceof Error ? `Route 53 could not be brought up to date: ${error.message}` : "Route 53 could not be brought up to date";
    let reason = `${why}.`;
    if (error instanceof DnsProblem && error.kind === "unavailable") {
      const { attempt, delaySeconds } = await ctx.retryTransient(why);
      reason = `${why}; retrying, attempt ${attempt}, next in ${delaySeconds} s.`;
    }
    await db.hostname.updateMany({ where: { id: { in: rows.map((r) => r.id) }, status: { not: "active" } }, data: { reason } });
    if (!(error instanceof DnsProblem && error.kind === "unavailable")) throw error;
  }
}

type Row = {
  id: string;
  fqdn: string;
  status: string;
  reason: string | null;
  changeId: string | null;
  environmentId: string;
  environment: { lifecycle: string; status: EnvironmentStatus };
};

/** A name whose record must go: removed by a person, its component private, its environment being destroyed. */
const leaving = (r: Row) => r.status === "deleting" || r.environment.lifecycle !== "active";

async function syncZone(cluster: { id: string; dnsDomain: string; dnsZoneId: string | null }, target: IngressTarget, rows: Row[], ctx: SyncContext) {
  const clusterId = cluster.id;
  const domain = cluster.dnsDomain;
  const zone = await findZone(cluster.dnsZoneId ?? domain, { signal: ctx.signal });
  if (zone.name.replace(/\.$/, "").toLowerCase() !== domain) {
    throw new Error(`the zone ${zone.id} is ${zone.name}, not the cluster's ${domain}`);
  }

  const wantedRows = rows.filter((r) => !leaving(r));
  const inZone = (fqdn: string) => fqdn.endsWith(`.${domain}`);
  const inside = wantedRows.filter((r) => inZone(r.fqdn));
  const wanted: WantedRecord[] = inside.flatMap((r) => recordsFor(r.fqdn, target).map((record) => ({ ...record, owner: r.environmentId })));

  const existing = await listZoneRecords(zone.id, { signal: ctx.signal });
  // Only this cluster's environments (ever: a destroyed one's leftovers go too): another cluster
  // may share the zone, and its records are its own sync's.
  const owners = (await db.environment.findMany({ where: { clusterId }, select: { id: true } })).map((e) => e.id);
  const plan = planZone({ zone: domain, installation: config().CORRAL_DNS_OWNER, wanted, existing, only: owners });
  const result = await applyChanges(zone.id, plan.groups, { signal: ctx.signal });
  ctx.log.info(
    { clusterId, zone: zone.id, groups: plan.groups.length, applied: result.applied.length, rejected: result.rejected.length, conflicts: plan.conflicts.length },
    "dns sync",
  );

  // What each name is now, in plain words; written only where it changed, a statement per state.
  const next = new Map<string, NameState>();
  for (const r of wantedRows.filter((r) => !inZone(r.fqdn))) next.set(r.fqdn, { status: "failed", reason: `Not inside the cluster's zone ${domain}.`, changeId: null });
  for (const l of plan.live) next.set(l.name, { status: "active", reason: null, changeId: null });
  for (const a of result.applied) next.set(a.name, { status: "pending", reason: null, changeId: a.changeId });
  for (const c of plan.conflicts) next.set(c.name, { status: "conflict", reason: c.reason, changeId: null });
  for (const r of result.rejected) next.set(r.name, { status: "failed", reason: r.reason, changeId: null });
  const changed = await writeStates(wantedRows, next);

  // Rows whose records are gone (or never were) go; a destroy's clean-up step waits for that.
  const notDeleted = new Set(result.rejected.map((r) => r.name));
  const gone = rows.filter((r) => leaving(r) && !notDeleted.has(r.fqdn));
  // Guarded by what made them go: a name wanted again meanwhile (a component public again) stays.
  if (gone.length > 0) {
    await db.hostname.deleteMany({ where: { id: { in: gone.map((r) => r.id) }, OR: [{ status: "deleting" }, { environment: { lifecycle: { not: "active" } } }] } });
  }
  // A destroy waiting on these records goes on now, as the namespace watch wakes it for its step.
  const destroying = [...new Set(gone.filter((r) => r.environment.lifecycle === "destroying").map((r) => r.environmentId))];
  await enqueueMany(destroyJob, destroying.map((environmentId) => ({ environmentId })), { cause: "system: DNS records removed" });

  // Live only when Route 53 has every server answering with it (it has no watch: GetChange is asked).
  const changeIds = [...new Set(result.applied.map((a) => a.changeId))];
  if (changeIds.length > 0) {
    const synced = await waitInSync(changeIds, { timeoutMs: IN_SYNC_WAIT_MS, signal: ctx.signal });
    if (synced.inSync.length > 0) await db.hostname.updateMany({ where: { changeId: { in: synced.inSync }, status: "pending" }, data: { status: "active", changeId: null } });
    if (synced.pending.length > 0) ctx.runAgainAfter(5);
  }
  // Pages showing environments whose names changed hear of it.
  const touched = new Map([...changed, ...gone].map((r) => [r.environmentId, r.environment.status]));
  for (const [id, status] of touched) await notifyEnvironmentChanged(db, { id, status });
}

interface NameState {
  status: Status;
  reason: string | null;
  changeId: string | null;
}

/** Writes each row's new state where it differs from what it is, one statement per distinct state. The rows changed. */
async function writeStates(rows: Row[], next: Map<string, NameState>): Promise<Row[]> {
  const groups = new Map<string, { state: NameState; rows: Row[] }>();
  for (const row of rows) {
    const state = next.get(row.fqdn);
    if (!state || (row.status === state.status && row.reason === state.reason && (state.changeId === null || row.changeId === state.changeId))) continue;
    const key = JSON.stringify(state);
    const group = groups.get(key) ?? { state, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  for (const { state, rows: these } of groups.values()) {
    await db.hostname.updateMany({ where: { id: { in: these.map((r) => r.id) }, status: { not: "deleting" } }, data: state });
  }
  return [...groups.values()].flatMap((g) => g.rows);
}

async function setStatus(ids: string[], status: Status, reason: string | null) {
  if (ids.length === 0) return;
  await db.hostname.updateMany({ where: { id: { in: ids }, status: { not: "deleting" } }, data: { status, reason, ...(status === "active" ? { changeId: null } : {}) } });
}
