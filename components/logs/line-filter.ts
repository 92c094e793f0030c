import type { Matcher } from "@/lib/logs/filter";
import { type Severity, severityOf } from "@/lib/logs/severity";
import type { ViewLine } from "./use-log-stream";

type TextMatcher = Extract<Matcher, { test: unknown }>;

/**
 * What the viewer keeps of the lines: those of the chosen severities (all when none is chosen)
 * that the search matches (all when there is no search). Null when nothing is filtered.
 */
export function lineFilter(search: TextMatcher | null, severities: ReadonlySet<Severity>): ((line: ViewLine) => boolean) | null {
  if (!search && severities.size === 0) return null;
  return (line) => (severities.size === 0 || severities.has(severityOfLine(line)!)) && (!search || search.test(line.plain));
}

/** The line's severity, read from its text the first time it is asked for (most never are). */
export function severityOfLine(line: ViewLine): Severity | null {
  if (line.severity === undefined) line.severity = severityOf(line.plain);
  return line.severity;
}
