// The severity of a log line, read from its text: what the viewer's ERROR / WARN / INFO filter
// goes by. Containers write it in many shapes; the common ones, in the order they are trusted:
//   a key:   level=error, lvl=WARN, severity="info", "level":"warn" (JSON), "level":50 (bunyan/pino)
//   klog:    E1122 10:20:00.123456 … (Kubernetes components; W… warn, I… info)
//   a word:  [ERROR], [warn] (nginx), or an upper-case ERROR / WARN / INFO standing alone
// A line with none of these has no severity (null): it is shown unless a severity is chosen.
// Client-safe and pure.

export const SEVERITIES = ["error", "warn", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

const WORDS: Record<string, Severity | null> = {
  emerg: "error",
  emergency: "error",
  alert: "error",
  crit: "error",
  critical: "error",
  fatal: "error",
  panic: "error",
  err: "error",
  error: "error",
  warn: "warn",
  warning: "warn",
  notice: "info",
  info: "info",
  information: "info",
  informational: "info",
  debug: null,
  trace: null,
};

// `level=…`, `"level": "…"`, `severity: …` — the key's value, a word or a bunyan/pino number.
const KEYED = /(?:^|[\s{,;"'])(?:level|lvl|levelname|severity|loglevel|log\.level)["']?\s*[=:]\s*["']?([A-Za-z]+|\d{1,2})\b/i;
// klog's header: one letter for the severity, then MMDD and the time.
const KLOG = /^([EFWI])\d{4} \d\d:\d\d:\d\d/;
// A level word in brackets, in any case (nginx writes [error]), or standing alone in upper case
// ("no error" in a message is not a level); whichever comes first.
const BRACKETED = /\[(emerg|alert|crit|critical|fatal|panic|err|error|warn|warning|notice|info)\]/i;
const BARE = /(?<![\w-])(FATAL|PANIC|CRITICAL|ERROR|ERR|WARN|WARNING|NOTICE|INFO)(?![\w-])/;

/** The line's severity, or null when it does not say (or says debug or trace). */
export function severityOf(text: string): Severity | null {
  const keyed = KEYED.exec(text);
  if (keyed) return fromValue(keyed[1]!);
  const klog = KLOG.exec(text);
  if (klog) return klog[1] === "E" || klog[1] === "F" ? "error" : klog[1] === "W" ? "warn" : "info";
  const bracketed = BRACKETED.exec(text);
  const bare = BARE.exec(text);
  const first = bracketed && (!bare || bracketed.index <= bare.index) ? bracketed : bare;
  return first ? (WORDS[first[1]!.toLowerCase()] ?? null) : null;
}

// bunyan and pino: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
function fromValue(value: string): Severity | null {
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    return n >= 50 ? "error" : n >= 40 ? "warn" : n >= 30 ? "info" : null;
  }
  return WORDS[value.toLowerCase()] ?? null;
}
