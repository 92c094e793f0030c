"use client";
import { useId, useMemo, useState } from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ErrorMessage } from "@/components/ui/error-message";
import { chartSeries, OTHERS } from "./chart-series";
import { formatMoney } from "./format";
import { useUsage } from "./use-overview";

// Recharts draws in the browser only: this module is a client component, and nothing of it
// runs on the server but its first (empty-sized) render.

const MAX_SERIES = 8;
// Distinct at a glance and in greyscale; "others" is always grey.
const COLORS = ["#2457d6", "#e07b00", "#1f9d55", "#c0342b", "#7b3fc4", "#0f8ea8", "#b8860b", "#d0468a"];
const OTHERS_COLOR = "#98a2b3";
const CHART_STYLE = { width: "100%", height: 260 } as const;

/** Environments and cost a day over the last weeks, one series per owner or template. */
export function UsageCharts() {
  const id = useId();
  const [days, setDays] = useState(30);
  const [by, setBy] = useState<"owner" | "template">("owner");
  const usage = useUsage(days, by);
  const series = useMemo(() => (usage.data ? chartSeries(usage.data, MAX_SERIES) : null), [usage.data]);
  const currency = usage.data?.currency ?? "USD";
  const color = (key: string, i: number) => (key === OTHERS ? OTHERS_COLOR : COLORS[i % COLORS.length]);
  const dayLabel = (day: unknown) => (typeof day === "string" ? day.slice(5) : String(day));

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h2 id={`${id}-title`}>Over time</h2>
        <div className="filters">
          <select aria-label="Period" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
          <select aria-label="Series by" value={by} onChange={(e) => setBy(e.target.value as "owner" | "template")}>
            <option value="owner">By owner</option>
            <option value="template">By template</option>
          </select>
        </div>
      </div>
      {usage.isError ? <ErrorMessage error={usage.error} /> : null}
      {usage.data && series ? (
        <>
          <p className="muted">
            {formatMoney(usage.data.totals.cost, currency)} over {days} days; sleep saved {formatMoney(usage.data.totals.saved, currency)}.
          </p>
          <div className="charts">
            <figure className="chart" data-testid="chart-environments">
              <figcaption>Environments a day</figcaption>
              <BarChart responsive style={CHART_STYLE} data={series.environments} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={dayLabel} fontSize={12} />
                <YAxis allowDecimals={false} fontSize={12} />
                <Tooltip />
                <Legend />
                {series.keys.map((key, i) => (
                  <Bar key={key} dataKey={key} stackId="environments" fill={color(key, i)} isAnimationActive={false} />
                ))}
              </BarChart>
            </figure>
            <figure className="chart" data-testid="chart-cost">
              <figcaption>Cost a day ({currency})</figcaption>
              <AreaChart responsive style={CHART_STYLE} data={series.cost} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={dayLabel} fontSize={12} />
                <YAxis fontSize={12} tickFormatter={(v: number) => formatMoney(v, currency)} width={72} />
                <Tooltip formatter={(v) => (typeof v === "number" ? formatMoney(v, currency) : String(v))} />
                <Legend />
                {series.keys.map((key, i) => (
                  <Area key={key} dataKey={key} stackId="cost" type="monotone" stroke={color(key, i)} fill={color(key, i)} fillOpacity={0.35} isAnimationActive={false} />
                ))}
              </AreaChart>
            </figure>
          </div>
          {series.keys.length === 0 ? <p className="muted">No environment ran in these days.</p> : null}
        </>
      ) : null}
    </section>
  );
}
