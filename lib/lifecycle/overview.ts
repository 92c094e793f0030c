import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { actorMay } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { read } from "@/lib/db/read-pool";
import type { EnvironmentPower, EnvironmentStatus } from "@/lib/db/generated/enums";
import { escapeLike } from "@/lib/environments/list-environments";
import { factsSelect, toFacts } from "./lifecycle-facts";
import { forecast, type PlannedKind } from "./plan";
import { OVERVIEW_DEFAULT_ORDER, type OverviewQuery } from "./schemas";
import { getLifecycleSettings } from "./settings";
import { money } from "./usage";

const LIMIT = 5_000;
const HOUR = 3_600_000;

interface Row {
  id: string;
  name: string;
  status: EnvironmentStatus;
  statusReason: string | null;
  power: EnvironmentPower;
  createdAt: Date;
  lastActivityAt: Date;
  lastActivityKind: string | null;
  expiresAt: Date | null;
  pinnedBy: string | null;
  asleepSince: Date | null;
  owner: { id: string; email: string; name: string };
  template: string | null;
  cost: number;
  saved: number;
  cpu: number;
  memoryGib: number;
}

// Sort keys to SQL, whitelisted: the query's `sort` never reaches the statement as text.
const ORDER_BY: Record<OverviewQuery["sort"], string> = {
  age: `e."createdAt"`,
  lastActivity: `e."lastActivityAt"`,
  expiry: `e."expiresAt"`,
  owner: `o."email"`,
  cost: `"cost"`,
  status: `e."status"::text`,
  name: `e."name"`,
};

/**
 * Every live environment with what a lead decides on: age, last activity, expiry, owner, what
 * it costs and what sleep saved, from one statement (costs summed by Postgres over the usage
 * stretches). Filtered and sorted as asked; the totals are over what the filter kept.
 */
export async function environmentsOverview(actor: Actor, query: OverviewQuery) {
  const settings = await getLifecycleSettings();
  const now = new Date();
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const cpuPrice = param(settings.cpuHourPrice);
  const memPrice = param(settings.memoryGibHourPrice);
  // As UTC text: the columns are timestamps without a zone, written in UTC.
  const nowParam = param(now.toISOString());
  const where = [`e."lifecycle" <> 'destroyed'`];
  const statuses = query.status === undefined ? [] : Array.isArray(query.status) ? query.status : [query.status];
  if (statuses.length > 0) where.push(`e."status"::text = ANY(${param(statuses)}::text[])`);
  if (query.owner) where.push(`o."email" = ${param(query.owner === "me" ? actor.email : query.owner)}`);
  if (query.template) where.push(`t."name" = ${param(query.template)}`);
  if (query.q) where.push(`e."name" LIKE ${param(`%${escapeLike(query.q.toLowerCase())}%`)} ESCAPE '\\'`);
  if (query.idleHours !== undefined) where.push(`e."lastActivityAt" <= ${param(new Date(now.getTime() - query.idleHours * HOUR).toISOString())}`);
  if (query.expiresWithinHours !== undefined) where.push(`e."expiresAt" <= ${param(new Date(now.getTime() + query.expiresWithinHours * HOUR).toISOString())}`);
  const order = query.order ?? OVERVIEW_DEFAULT_ORDER[query.sort];
  const hours = `EXTRACT(EPOCH FROM (COALESCE(u."endedAt", ${nowParam}) - u."startedAt")) / 3600`;
  const rows = await read<Row>(
    `SELECT e."id", e."name", e."status", e."statusReason", e."power", e."createdAt", e."lastActivityAt", e."lastActivityKind",
            e."expiresAt", e."pinnedBy", e."asleepSince",
            json_build_object('id', o."id", 'email', o."email", 'name', o."name") AS "owner",
            t."name" AS "template",
            COALESCE(SUM(${hours} * (u."cpu" * ${cpuPrice} + u."memoryGib" * ${memPrice})), 0)::float8 AS "cost",
            COALESCE(SUM(CASE WHEN u."power" = 'asleep' THEN ${hours} * ((u."fullCpu" - u."cpu") * ${cpuPrice} + (u."fullMemoryGib" - u."memoryGib") * ${memPrice}) END), 0)::float8 AS "saved",
            COALESCE(SUM(u."cpu") FILTER (WHERE u."endedAt" IS NULL), 0)::float8 AS "cpu",
            COALESCE(SUM(u."memoryGib") FILTER (WHERE u."endedAt" IS NULL), 0)::float8 AS "memoryGib"
     FROM "Environment" e
     JOIN "User" o ON o."id" = e."ownerId"
     LEFT JOIN "Template" t ON t."id" = e."templateId"
     LEFT JOIN "UsageInterval" u ON u."environmentId" = e."id"
     WHERE ${where.join(" AND ")}
     GROUP BY e."id", o."id", t."id"
     ORDER BY ${ORDER_BY[query.sort]} ${order === "asc" ? "ASC" : "DESC"} NULLS LAST, e."id"
     LIMIT ${LIMIT}`,
    values,
  );
  const items = rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    statusReason: r.statusReason,
    power: r.power,
    owner: r.owner,
    template: r.template,
    createdAt: r.createdAt.toISOString(),
    lastActivityAt: r.lastActivityAt.toISOString(),
    lastActivityKind: r.lastActivityKind,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    pinnedBy: r.pinnedBy,
    asleepSince: r.asleepSince?.toISOString() ?? null,
    cost: money(r.cost),
    saved: money(r.saved),
    requests: { cpu: round(r.cpu), memoryGib: round(r.memoryGib) },
  }));
  const byOwner = new Map<string, { owner: string; environments: number; cost: number; saved: number }>();
  for (const i of items) {
    const o = byOwner.get(i.owner.email) ?? { owner: i.owner.email, environments: 0, cost: 0, saved: 0 };
    o.environments++;
    o.cost += i.cost;
    o.saved += i.saved;
    byOwner.set(i.owner.email, o);
  }
  return {
    items,
    truncated: rows.length === LIMIT,
    currency: settings.currency,
    totals: { environments: items.length, cost: money(items.reduce((s, i) => s + i.cost, 0)), saved: money(items.reduce((s, i) => s + i.saved, 0)) },
    byOwner: [...byOwner.values()].map((o) => ({ ...o, cost: money(o.cost), saved: money(o.saved) })).sort((a, b) => b.cost - a.cost),
    // The lead's bulk tear-down: offered only to whom the API allows it.
    mayBulkDestroy: actorMay(actor, "environments:bulk-destroy"),
  };
}

/** A dry run: what expiry and sleep will do in the next `hours`, soonest first, from the same plan the pass follows. */
export async function lifecycleForecast(hours: number) {
  const settings = await getLifecycleSettings();
  const from = new Date();
  const to = new Date(from.getTime() + hours * HOUR);
  const envs = await db.environment.findMany({
    where: { lifecycle: "active" },
    select: { ...factsSelect, owner: { select: { email: true } } },
  });
  const events: { environment: { id: string; name: string; owner: string }; kind: PlannedKind; at: string }[] = [];
  for (const e of envs) {
    for (const p of forecast(toFacts(e), settings, from, to)) events.push({ environment: { id: e.id, name: e.name, owner: e.owner.email }, kind: p.kind, at: p.at.toISOString() });
  }
  events.sort((a, b) => a.at.localeCompare(b.at) || a.environment.name.localeCompare(b.environment.name));
  const count = (k: PlannedKind) => events.filter((e) => e.kind === k).length;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    summary: { warn: count("warn"), sleep: count("sleep"), expire: count("expire"), "destroy-asleep": count("destroy-asleep") },
    events,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
