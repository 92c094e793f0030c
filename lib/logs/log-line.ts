// One line of a container's log as Kubernetes sends it with timestamps=true:
// "2026-11-22T10:20:00.123456789Z text…". Client-safe.

export interface LogLine {
  /** Which stream it came from: "<pod>/<container>". */
  source: string;
  /** The kubelet's timestamp, RFC 3339 with up to nanoseconds, as sent. */
  time: string;
  text: string;
}

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /;

/** Splits the kubelet's timestamp off a line; null when the line has none. */
export function splitTimestamp(raw: string): { time: string; text: string } | null {
  const m = STAMP.exec(raw);
  if (!m) return null;
  return { time: m[0].slice(0, -1), text: raw.slice(m[0].length) };
}

/** Nanoseconds since the epoch, for ordering and comparing timestamps of any precision. */
export function timeKey(time: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) return 0n;
  const seconds = BigInt(Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000));
  const nanos = BigInt((m[2] ?? "").padEnd(9, "0") || "0");
  return seconds * 1_000_000_000n + nanos;
}
