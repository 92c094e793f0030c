import { timeKey } from "./log-line";

// A link to one line of a log: the viewer's own URL (environment, component or pod, previous
// container) with the line's source and kubelet timestamp, and which of the source's lines with
// exactly that timestamp it is (a start-up banner can share one) — the same position a resume
// cursor names. Opening it streams from a little before that time, finds the line, and shows
// it highlighted, not following. Client-safe and pure.

export interface LineTarget {
  /** "<pod>/<container>" */
  source: string;
  /** The kubelet's timestamp, as sent. */
  time: string;
  /** 1 for the first of the source's lines with this timestamp, 2 for the second… */
  nth: number;
}

/** Lines from this long before the linked one come with it, for context. */
export const LINK_CONTEXT_MS = 10_000;

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/;
const NAME = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?";
const SOURCE = new RegExp(`^${NAME}/${NAME}$`);
// What the viewer's URL keeps in a link: which logs, not how they are shown.
const KEPT = ["component", "pod", "container", "previous"];

/** The viewer's query for a link to `line`, from the query it is showing now. */
export function lineLinkQuery(current: URLSearchParams, line: LineTarget): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of KEPT) {
    const value = current.get(key);
    if (value) q.set(key, value);
  }
  q.set("source", line.source);
  q.set("at", line.time);
  if (line.nth > 1) q.set("n", String(line.nth));
  return q;
}

/** The line a viewer URL links to; null when it links to none, an error when it is malformed. */
export function lineTargetOf(query: URLSearchParams): LineTarget | { error: string } | null {
  const time = query.get("at");
  const source = query.get("source");
  if (time === null && source === null) return null;
  if (!time || !STAMP.test(time) || timeKey(time) === 0n) return { error: "The link names no valid time for its line." };
  if (!source || !SOURCE.test(source)) return { error: "The link names no valid pod and container for its line." };
  const n = Number(query.get("n") ?? 1);
  return { source, time, nth: Number.isInteger(n) && n >= 1 ? n : 1 };
}

/** Where the stream opens for a link: LINK_CONTEXT_MS before the line, to the millisecond. */
export function linkSince(target: LineTarget): string {
  const ms = Number(timeKey(target.time) / 1_000_000n);
  return new Date(ms - LINK_CONTEXT_MS).toISOString();
}

/**
 * Which of its source's lines with the same timestamp the line at `index` is (1-based); 1 for an
 * index outside the list (a line already dropped from the buffer, still drawn until the next batch).
 */
export function nthAtTime(lines: readonly { source: string; time: string }[], index: number): number {
  const line = lines[index];
  if (!line) return 1;
  let nth = 1;
  for (let i = index - 1; i >= 0; i--) {
    const other = lines[i]!;
    if (other.source !== line.source) continue;
    if (other.time !== line.time) break;
    nth++;
  }
  return nth;
}

/**
 * Finds the linked line in a growing list, looking at each line once. `found` with its seq, or
 * `gone` once a later line of its source came without it (it was rotated out of the log, or
 * never was).
 */
export class LineFinder {
  private lastSeq = -1;
  private seen = 0;
  private readonly key: bigint;
  result: { found: number } | { gone: true } | null = null;

  constructor(private readonly target: LineTarget) {
    this.key = timeKey(target.time);
  }

  scan(lines: readonly { seq: number; source: string; time: string }[]): LineFinder["result"] {
    if (this.result) return this.result;
    let i = lines.length - 1;
    while (i >= 0 && lines[i]!.seq > this.lastSeq) i--;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      this.lastSeq = line.seq;
      if (line.source !== this.target.source) continue;
      if (line.time === this.target.time) {
        if (++this.seen === this.target.nth) return (this.result = { found: line.seq });
      } else if (timeKey(line.time) > this.key) {
        return (this.result = { gone: true });
      }
    }
    return null;
  }
}
