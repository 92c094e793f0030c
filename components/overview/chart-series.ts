import type { UsageReport } from "./use-overview";

// The usage report as Recharts wants it: a row a day with one number per series. A chart with
// a line per owner stops being readable past a handful, so the dearest few are kept and the
// rest are summed as "others".

// Not an e-mail address nor a template name, so never an owner's or a template's own series.
export const OTHERS = "(others)";

export interface ChartSeries {
  /** The series shown, dearest first; OTHERS last when some were folded. */
  keys: string[];
  /** `{ day, [key]: value }` a day, for the environments chart and the cost chart. */
  environments: Record<string, string | number>[];
  cost: Record<string, string | number>[];
}

export function chartSeries(report: Pick<UsageReport, "days" | "keys">, max: number): ChartSeries {
  const total = new Map<string, { cost: number; environments: number }>(report.keys.map((k) => [k, { cost: 0, environments: 0 }]));
  for (const day of report.days) {
    for (const [key, v] of Object.entries(day.byKey)) {
      const t = total.get(key) ?? { cost: 0, environments: 0 };
      total.set(key, { cost: t.cost + v.cost, environments: t.environments + v.environments });
    }
  }
  const ranked = [...total.entries()].sort(([ka, a], [kb, b]) => b.cost - a.cost || b.environments - a.environments || ka.localeCompare(kb)).map(([k]) => k);
  const shown = ranked.length > max ? ranked.slice(0, max - 1) : ranked;
  const folded = ranked.length > shown.length;
  const keep = new Set(shown);
  const environments = report.days.map((day) => row(day.day, day.byKey, shown, keep, folded, "environments"));
  const cost = report.days.map((day) => row(day.day, day.byKey, shown, keep, folded, "cost"));
  return { keys: folded ? [...shown, OTHERS] : shown, environments, cost };
}

function row(
  day: string,
  byKey: Record<string, { environments: number; cost: number }>,
  shown: string[],
  keep: Set<string>,
  folded: boolean,
  field: "environments" | "cost",
): Record<string, string | number> {
  const out: Record<string, string | number> = { day };
  for (const key of shown) out[key] = byKey[key]?.[field] ?? 0;
  if (folded) {
    let rest = 0;
    for (const [key, v] of Object.entries(byKey)) if (!keep.has(key)) rest += v[field];
    out[OTHERS] = field === "cost" ? Math.round(rest * 100) / 100 : rest;
  }
  return out;
}
