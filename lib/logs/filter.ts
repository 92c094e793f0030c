// The log viewer's search: plain text or a regular expression, with or without case. Client-safe.

export interface FilterSpec {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
}

export type Matcher = { test: (text: string) => boolean; ranges: (text: string) => [number, number][] } | { error: string };

const MAX_RANGES = 50;

export function makeMatcher(spec: FilterSpec): Matcher | null {
  if (spec.query === "") return null;
  let pattern: RegExp;
  try {
    const source = spec.regex ? spec.query : spec.query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    pattern = new RegExp(source, spec.caseSensitive ? "g" : "gi");
  } catch (error) {
    return { error: `Not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}` };
  }
  return {
    test: (text) => {
      pattern.lastIndex = 0;
      return pattern.test(text);
    },
    ranges: (text) => {
      const out: [number, number][] = [];
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m && out.length < MAX_RANGES; m = pattern.exec(text)) {
        if (m[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        out.push([m.index, m.index + m[0].length]);
      }
      return out;
    },
  };
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** The text as a person reads it: what search and downloads of the view work on. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
