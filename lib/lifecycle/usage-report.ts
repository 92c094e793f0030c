import "server-only";
import { read } from "@/lib/db/read-pool";
import type { UsageQuery } from "./schemas";
import { getLifecycleSettings } from "./settings";
import { money } from "./usage";

interface Row {
  day: Date;
  /** Null on a day's own total row. */
  key: string | null;
  environments: number;
  cost: number;
  saved: number;
}

/**
 * Environments and cost a day over the last `days`, by owner or by template: each usage stretch
 * is cut at day boundaries (UTC) by Postgres, so a day's cost is what ran that day.
 */
export async function usageReport(query: UsageQuery) {
  const settings = await getLifecycleSettings();
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (query.days - 1)));
  const group = query.by === "owner" ? `o."email"` : `COALESCE(t."name", '(no template)')`;
  const hours = `EXTRACT(EPOCH FROM (LEAST(COALESCE(u."endedAt", $2), d."day" + interval '1 day') - GREATEST(u."startedAt", d."day"))) / 3600`;
  const rows = await read<Row>(
    `WITH days AS (SELECT generate_series($1::timestamp, date_trunc('day', $2::timestamp), interval '1 day') AS "day")
     SELECT d."day", ${group} AS "key",
            COUNT(DISTINCT u."environmentId")::int AS "environments",
            SUM(${hours} * (u."cpu" * $3 + u."memoryGib" * $4))::float8 AS "cost",
            COALESCE(SUM(CASE WHEN u."power" = 'asleep' THEN ${hours} * ((u."fullCpu" - u."cpu") * $3 + (u."fullMemoryGib" - u."memoryGib") * $4) END), 0)::float8 AS "saved"
     FROM days d
     JOIN "UsageInterval" u ON u."startedAt" < d."day" + interval '1 day' AND COALESCE(u."endedAt", $2) > d."day"
     JOIN "User" o ON o."id" = u."ownerId"
     LEFT JOIN "Template" t ON t."id" = u."templateId"
     GROUP BY GROUPING SETS ((d."day", ${group}), (d."day"))
     ORDER BY d."day"`,
    [from.toISOString(), now.toISOString(), settings.cpuHourPrice, settings.memoryGibHourPrice],
  );
  const keys = [...new Set(rows.flatMap((r) => (r.key === null ? [] : [r.key])))].sort();
  const days: { day: string; environments: number; cost: number; saved: number; byKey: Record<string, { environments: number; cost: number }> }[] = [];
  for (let i = 0; i < query.days; i++) {
    const day = new Date(from.getTime() + i * 86_400_000);
    const inDay = rows.filter((r) => r.day.getTime() === day.getTime());
    // The day's own row counts each environment once, though a hand-over shows it under two owners.
    const total = inDay.find((r) => r.key === null);
    days.push({
      day: day.toISOString().slice(0, 10),
      environments: total?.environments ?? 0,
      cost: money(total?.cost ?? 0),
      saved: money(total?.saved ?? 0),
      byKey: Object.fromEntries(inDay.filter((r) => r.key !== null).map((r) => [r.key!, { environments: r.environments, cost: money(r.cost) }])),
    });
  }
  return {
    by: query.by,
    currency: settings.currency,
    prices: { cpuHour: settings.cpuHourPrice, memoryGibHour: settings.memoryGibHourPrice },
    keys,
    days,
    totals: { cost: money(days.reduce((s, d) => s + d.cost, 0)), saved: money(days.reduce((s, d) => s + d.saved, 0)) },
  };
}
