// How the viewer shows a line's time: the kubelet's timestamp in UTC, as written, to the
// millisecond — with the date beside it when the line is not from today (UTC), so a line from
// last night does not read as one from this morning. Client-safe and pure.

/** "10:20:00.123", or "2026-11-21 10:20:00.123" for a line from another day than `now`'s. */
export function formatLineTime(time: string, now: Date): string {
  const utc = time.endsWith("Z") ? time : toUtc(time);
  const date = utc.slice(0, 10);
  const clock = utc.slice(11, 19) + (/^\.\d+/.exec(utc.slice(19))?.[0].slice(0, 4) ?? "");
  return date === now.toISOString().slice(0, 10) ? clock : `${date} ${clock}`;
}

// A timestamp with an offset ("…+02:00"), to the millisecond in UTC.
function toUtc(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}
