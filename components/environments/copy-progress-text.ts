import type { CopyProgressView } from "@/lib/data/data-copy-dto";
import { STORE_UNITS as UNITS } from "@/lib/data/schemas";

// A copy's progress in words: "12,340 of 50,000 rows · 8.1 MB · 2,300 rows/s · about 18 s left".

type Kind = "mysql" | "redis" | "s3";

const ITEMS: Record<Kind, string> = { mysql: "table", redis: "key", s3: "object" };

const count = (n: number) => Math.round(n).toLocaleString("en");

export function unitsOf(kind: Kind, n: number): string {
  return UNITS[kind][n === 1 ? 0 : 1];
}

/** What is being copied now, named as the kind names it: "table users". */
export function currentText(kind: Kind, p: CopyProgressView): string | null {
  return p.current ? `${ITEMS[kind]} ${p.current}` : null;
}

export function progressText(kind: Kind, p: CopyProgressView): string {
  const parts: string[] = [];
  const done = p.unitsDone ?? 0;
  parts.push(p.unitsTotal !== undefined ? `${count(done)} of ${count(p.unitsTotal)} ${unitsOf(kind, p.unitsTotal)}` : `${count(done)} ${unitsOf(kind, done)}`);
  if (p.bytesDone !== undefined && p.bytesDone > 0) parts.push(bytesText(p.bytesDone));
  if (p.rate !== undefined && p.rate > 0) parts.push(`${count(p.rate)} ${unitsOf(kind, p.rate)}/s`);
  if (p.etaSeconds !== undefined && p.etaSeconds > 0) parts.push(`about ${durationText(p.etaSeconds)} left`);
  return parts.join(" · ");
}

/** How far along, 0–100, or null while the total is not known yet. */
export function progressPercent(status: string, p: CopyProgressView): number | null {
  if (status === "succeeded" || p.phase === "done") return 100;
  const part = (done: number | undefined, total: number | undefined) => (total && total > 0 ? Math.min(100, Math.floor(((done ?? 0) / total) * 100)) : null);
  return part(p.unitsDone, p.unitsTotal) ?? part(p.bytesDone, p.bytesTotal);
}

export function bytesText(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function durationText(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m > 0 ? `${h} h ${m} min` : `${h} h`;
}
