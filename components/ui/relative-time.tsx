"use client";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];
const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 hours ago" / "in 2 days", with the exact time on hover. */
export function RelativeTime({ iso }: { iso: string | null }) {
  if (!iso) return <span className="muted">—</span>;
  const diff = new Date(iso).getTime() - Date.now();
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(diff) >= size) ?? ["minute", 60_000];
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()} suppressHydrationWarning>
      {format.format(Math.round(diff / ms), unit)}
    </time>
  );
}
