import { parseImage } from "./image-behaviour";

export interface LogLine {
  time: number;
  text: string;
}

const bannerSize = 4;
const yellow = "\u001b[33m";
const red = "\u001b[31m";
const reset = "\u001b[0m";
// What an image with "escapes" in its name writes second and every 250th line: everything a terminal acts on
// (a window title, a hyperlink, a clipboard write, a bell, a screen clear), a bidi override
// and, among them, colours, for testing what readers of logs are shown.
export const HOSTILE_LINE =
  "INFO  \u001b]0;pwned title\u0007\u001b]8;;https://evil.example/\u0007click me\u001b]8;;\u0007 " +
  "\u001b]52;c;cm0gLXJmIH4=\u0007copied \u0007bell \u001b[2Jcleared user\u202Egnp.exe \u001b[31mred\u001b[0m";
const paths = ["/api/items", "/api/orders", "/healthz", "/api/users", "/metrics", "/api/search"];
const methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];

/** A line the container wrote because something happened (an HTTP request), kept with its place in the log. */
interface AppendedLine extends LogLine {
  /** Its index in the merged log. */
  index: number;
}

/**
 * The output of one run of a container. Generated lines are a pure function of their index, so
 * they are not stored: generated line j (after the banner) was written at start + j/rate. Lines
 * appended as things happen (access-log lines from the ingress) are kept, interleaved with the
 * generated ones by time, as far back as the buffer reaches. Only the last `capacity` lines are
 * still readable, like a rotated container log.
 */
export class LogInstance {
  end: number | undefined;
  private readonly seed: number;
  private readonly interval: number;
  private appended: AppendedLine[] = [];
  /** Appended lines forgotten and removed from `appended`; still counted in indexes. */
  private dropped = 0;
  /** appended[0..head) are forgotten too, kept until removing them in one go is cheap. */
  private head = 0;

  constructor(
    readonly image: string,
    seedText: string,
    readonly start: number,
    linesPerSecond: number,
    private readonly capacity: number,
    private readonly fatalOnEnd: boolean,
  ) {
    this.seed = hash(seedText);
    this.interval = 1000 / Math.max(0.001, linesPerSecond);
  }

  /** Lines written so far (the index one past the last line). */
  count(now = Date.now()): number {
    const written = this.generated(now) + this.dropped + this.appended.length;
    return this.end !== undefined && this.fatalOnEnd && now >= this.end ? written + 1 : written;
  }

  /**
   * Writes a line now, after everything written so far; false once the container has stopped.
   * Appended lines count against the capacity like any other.
   */
  append(text: string, now = Date.now()): boolean {
    if (this.end !== undefined) return false;
    const time = Math.max(now, this.appended[this.appended.length - 1]?.time ?? 0);
    this.appended.push({ index: this.generated(time) + this.dropped + this.appended.length, time, text });
    const oldest = this.count(time) - this.capacity;
    while (this.head < this.appended.length && (this.appended[this.head]?.index ?? 0) < oldest) this.head++;
    // Removing from the front of a long array on every line would cost more than the line.
    if (this.head > 1024 && this.head * 2 > this.appended.length) {
      this.appended = this.appended.slice(this.head);
      this.dropped += this.head;
      this.head = 0;
    }
    return true;
  }

  firstAvailable(now = Date.now()): number {
    return Math.max(0, this.count(now) - this.capacity);
  }

  /** The first index whose line was written at or after `time`. */
  indexAt(time: number): number {
    if (time <= this.start) return 0;
    // Generated line j was written at start + (j - bannerSize + 1) * interval.
    const generated = bannerSize - 1 + Math.ceil((time - this.start) / this.interval);
    let before = this.dropped + this.head;
    for (let k = this.head; k < this.appended.length && (this.appended[k]?.time ?? Infinity) < time; k++) before++;
    return generated + before;
  }

  line(i: number, now = Date.now()): LogLine {
    const total = this.count(now);
    if (this.end !== undefined && this.fatalOnEnd && i === total - 1) {
      return { time: this.end, text: `${red}FATAL${reset} unhandled error: connect ECONNREFUSED 10.96.0.12:5432; exiting with code 1` };
    }
    // Appended lines before i (dropped ones included) shift the generated lines after them.
    let lo = this.head;
    let hi = this.appended.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.appended[mid]?.index ?? 0) < i) lo = mid + 1;
      else hi = mid;
    }
    const hit = this.appended[lo];
    if (hit && hit.index === i) return { time: hit.time, text: hit.text };
    return this.generatedLine(i - this.dropped - lo);
  }

  /** Generated lines (banner included) written by `now`. */
  private generated(now: number): number {
    const until = this.end === undefined ? now : Math.min(now, this.end);
    return bannerSize + Math.max(0, Math.floor((until - this.start) / this.interval));
  }

  private generatedLine(i: number): LogLine {
    if (i < bannerSize) return { time: this.start, text: this.banner(i) };
    const time = this.start + (i - bannerSize + 1) * this.interval;
    const r = mix(this.seed, i);
    if (i % 250 === 0 && /escapes/.test(this.image)) return { time, text: HOSTILE_LINE };
    if (i % 331 === 0) return { time, text: `${red}ERROR${reset} upstream timeout calling inventory-service after 5000ms (request id ${(r % 1_000_000).toString(16)})` };
    if (i % 97 === 0) return { time, text: `${yellow}WARN${reset}  slow query on orders took ${200 + (r % 800)}ms` };
    const method = methods[r % methods.length] ?? "GET";
    const path = paths[(r >>> 3) % paths.length] ?? "/";
    const status = r % 53 === 0 ? 404 : method === "POST" ? 201 : 200;
    return { time, text: `INFO  ${method} ${path}/${r % 997} ${status} ${1 + (r % 47)}ms` };
  }

  private banner(i: number): string {
    const { repository, tag } = parseImage(this.image);
    return [
      `INFO  starting ${repository} version ${tag} (pid 1)`,
      /escapes/.test(this.image) ? HOSTILE_LINE : "INFO  loading configuration from /etc/app/config.yaml",
      "INFO  connected to database in 12ms",
      "INFO  listening on 0.0.0.0:8080",
    ][i] ?? "";
  }
}

export function formatTimestamp(ms: number): string {
  // RFC 3339 with nanoseconds, as the kubelet writes them.
  const iso = new Date(Math.floor(ms)).toISOString();
  const nanos = String(Math.floor((ms % 1) * 1e6)).padStart(6, "0");
  return `${iso.slice(0, 23)}${nanos}Z`;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function mix(seed: number, i: number): number {
  let x = (seed ^ Math.imul(i + 1, 2654435761)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 2246822507) >>> 0;
  x ^= x >>> 13;
  return x >>> 0;
}
