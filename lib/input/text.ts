import { z } from "zod";

// The one rule every string input passes at the edge. Postgres refuses NUL in text (a 500
// before this rule), control characters and lone surrogates have no business in a name or a
// filter, and a terminal or log viewer may act on them. Newlines and tabs only where a field
// allows them (descriptions, env values). Route handlers apply `findUnsafeText` to every
// body, query and path value; schemas add the per-field rules with `line` and `text`.

// C0 controls but tab, LF and CR; DEL and the C1 controls; a high surrogate not followed by a low one, or a low one alone.
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/;

/** Why `value` is not acceptable text anywhere, or null. */
export function unsafeTextProblem(value: string): string | null {
  const match = UNSAFE.exec(value);
  if (!match) return null;
  const char = match[0].codePointAt(0)!;
  if (char >= 0xd800 && char <= 0xdfff) return "Contains a broken character (a lone UTF-16 surrogate).";
  return `Contains a control character (U+${char.toString(16).toUpperCase().padStart(4, "0")}), which is not allowed.`;
}

/**
 * The first string (or object key) in a parsed body, query or path that breaks the rule, as
 * a field path and a message; null when all are fine.
 */
export function findUnsafeText(value: unknown): { path: string; message: string } | null {
  // A walk with its own stack and a depth limit: a body of a million nested brackets is a 400, not a stack overflow.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: at, path } = stack.pop()!;
    if (path.length > MAX_DEPTH) return { path: path.slice(0, 3).join(".") || "_", message: `Nested more than ${MAX_DEPTH} levels deep.` };
    if (typeof at === "string") {
      const problem = unsafeTextProblem(at);
      if (problem) return { path: path.length > 0 ? path.join(".") : "_", message: problem };
    } else if (Array.isArray(at)) {
      for (let i = at.length - 1; i >= 0; i--) stack.push({ value: at[i], path: [...path, i] });
    } else if (typeof at === "object" && at !== null) {
      const entries = Object.entries(at);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        const keyProblem = unsafeTextProblem(key);
        if (keyProblem) return { path: [...path, key.replace(/[^\x20-\x7e]/g, "?")].join("."), message: `The name of this field: ${keyProblem}` };
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return null;
}

const MAX_DEPTH = 64;

/** One line of text: no line breaks or tabs, at most `max` characters. `missing`: the message when it is absent or not text. */
export function line(max: number, what = "This field", missing = `${what} is text.`) {
  return z
    .string({ error: missing })
    .max(max, { error: `At most ${max} characters.` })
    .refine((v) => !LINE_BREAKS.test(v), { error: `${what} is one line: no line breaks or tabs.` })
    .refine((v) => unsafeTextProblem(v) === null, { error: (issue) => unsafeTextProblem(String(issue.input)) ?? "Not allowed." });
}

/** Free text that may span lines, at most `max` characters. */
export function text(max: number, what = "This field", missing = `${what} is text.`) {
  return z
    .string({ error: missing })
    .max(max, { error: `At most ${max} characters.` })
    .refine((v) => unsafeTextProblem(v) === null, { error: (issue) => unsafeTextProblem(String(issue.input)) ?? "Not allowed." });
}
