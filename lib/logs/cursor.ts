import { timeKey } from "./log-line";

// Where a reader of a log stream got to, per source: the timestamp of the last line it has
// and how many lines carried exactly that timestamp (a start-up banner can share one). On a
// reconnect the server asks Kubernetes for lines since that time and skips the ones the
// reader already has: no gap, no duplicate. Travels as an SSE event id (Last-Event-ID).

export type Cursor = Record<string, { time: string; count: number }>;

export function advance(cursor: Cursor, source: string, time: string): void {
  const last = cursor[source];
  if (last && last.time === time) last.count++;
  else cursor[source] = { time, count: 1 };
}

/** Whether a line was already delivered, given the cursor the reader resumed from. */
export function alreadySeen(resumedFrom: Cursor, seenSinceResume: Map<string, number>, source: string, time: string): boolean {
  const from = resumedFrom[source];
  if (!from) return false;
  const order = compare(time, from.time);
  if (order < 0) return true;
  if (order > 0) return false;
  const n = (seenSinceResume.get(source) ?? 0) + 1;
  seenSinceResume.set(source, n);
  return n <= from.count;
}

// A cursor is base64url of about 100 bytes per source: 4096 characters hold some 30 pods,
// and stay well inside what servers and proxies accept in a URL or a header.
export const CURSOR_MAX = 4_096;

/** The cursor as an SSE id; past CURSOR_MAX, the sources heard from longest ago are left out. */
export function encodeCursor(cursor: Cursor): string {
  const whole = Buffer.from(JSON.stringify(cursor)).toString("base64url");
  if (whole.length <= CURSOR_MAX) return whole;
  const newestFirst = Object.entries(cursor).sort(([, a], [, b]) => compare(b.time, a.time));
  const kept: Cursor = {};
  let encoded = "e30"; // {}
  for (const [source, position] of newestFirst) {
    kept[source] = position;
    const next = Buffer.from(JSON.stringify(kept)).toString("base64url");
    if (next.length > CURSOR_MAX) {
      delete kept[source];
      break;
    }
    encoded = next;
  }
  return encoded;
}

export function decodeCursor(text: string | null | undefined): Cursor | null {
  if (!text) return null;
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
    if (typeof value !== "object" || value === null) return null;
    const cursor: Cursor = {};
    for (const [source, v] of Object.entries(value as Record<string, unknown>)) {
      const entry = v as { time?: unknown; count?: unknown };
      // Only real timestamps: the time goes on to Kubernetes as sinceTime.
      if (typeof entry?.time === "string" && timeKey(entry.time) > 0n && typeof entry.count === "number" && entry.count >= 0) {
        cursor[source] = { time: entry.time, count: Math.floor(entry.count) };
      }
    }
    return cursor;
  } catch {
    return null;
  }
}

function compare(a: string, b: string): number {
  const ka = timeKey(a);
  const kb = timeKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
