"use client";
import { useSyncExternalStore } from "react";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];
const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

// One shared clock for every relative time on the page, ticking twice a minute.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The page's shared clock (ticking twice a minute), for what is decided by the time during render. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now, () => now);
}

/** "3 hours ago" / "in 2 days" (or, as an age, "3 hours"), with the exact time on hover. */
export function RelativeTime({ iso, suffix = true }: { iso: string | null; suffix?: boolean }) {
  const current = useSyncExternalStore(subscribe, () => now, () => now);
  if (!iso) return <span className="muted">—</span>;
  const diff = new Date(iso).getTime() - current;
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(diff) >= size) ?? ["minute", 60_000];
  return (
    <time dateTime={iso} title={new Date(iso).toISOString()} suppressHydrationWarning>
      {suffix ? format.format(Math.round(diff / ms), unit) : age(Math.abs(Math.round(diff / ms)), unit)}
    </time>
  );
}

function age(n: number, unit: Intl.RelativeTimeFormatUnit): string {
  if (n === 0 && unit === "minute") return "under a minute";
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
