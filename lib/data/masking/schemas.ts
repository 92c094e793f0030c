import { z } from "zod";
import { line } from "@/lib/input/text";

// Masking rules of a protected data source, as admins edit them. The admin form imports these
// too, so the form and the server give the same messages in the same places (`columns.3.value`).

/**
 * email: the local part becomes a hash, the domain is kept. name: a fake name of the same number
 * of words. fixed: one value for every row. null: SQL NULL (an empty value of the column's type
 * when the column is NOT NULL). keep: copied as it is, a decision recorded so the column is not
 * flagged as personal. hash-id: format-preserving (digits stay digits, letters letters, the rest
 * and the length kept), one-to-one, so unique columns stay unique.
 */
export const maskKinds = ["email", "name", "fixed", "null", "keep", "hash-id"] as const;
export type MaskKind = (typeof maskKinds)[number];

/**
 * Redis has no NULL, and deleting a field or key changes the shape an application reads, so
 * "null" is not offered for Redis: a fixed empty value says the same without surprises.
 */
export const redisMaskKinds = ["email", "name", "fixed", "keep", "hash-id"] as const satisfies readonly MaskKind[];
export type RedisMaskKind = (typeof redisMaskKinds)[number];

const KIND_WORDS = "email, name, fixed, null, keep or hash-id";
const REDIS_KIND_WORDS = "email, name, fixed, keep or hash-id";
const FIXED_VALUE_MAX = 1000;

/** A MySQL identifier: 1–64 characters of the Basic Multilingual Plane, not ending with a space (MySQL's own limits). */
export function identifierProblem(name: string, what: string): string | null {
  if (name.length === 0) return `${what} is required.`;
  if (name.length > 64) return `${what} is at most 64 characters.`;
  if (/[\ud800-\udfff]/.test(name)) return `${what} cannot hold characters outside the Basic Multilingual Plane (such as emoji).`;
  if (name.endsWith(" ")) return `${what} cannot end with a space.`;
  return null;
}

const identifier = (what: string) =>
  // line() for the text rule, with room: the 64-character limit says its own message below.
  line(256, what, `${what} is required.`).superRefine((name, ctx) => {
    const problem = identifierProblem(name, what);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const fixedValue = line(FIXED_VALUE_MAX, "The value").optional();

export const columnRuleSchema = z
  .object({
    table: identifier("Table"),
    column: identifier("Column"),
    kind: z.enum(maskKinds, { error: `Kind is one of ${KIND_WORDS}.` }),
    value: fixedValue,
  })
  .superRefine((rule, ctx) => fixedValueIssue(rule, ctx));

export type ColumnRule = z.infer<typeof columnRuleSchema>;

/** Redis's glob: `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and `\` escapes, matched against the whole key. */
export const keyPatternSchema = line(200, "Key pattern", "Key pattern is required, e.g. session:* or user:[0-9]*.").min(1, {
  error: "Key pattern is required, e.g. session:* or user:[0-9]*.",
});

export const redisRuleSchema = z
  .object({
    keyPattern: keyPatternSchema,
    /** Set: the rule masks this field of the hashes whose keys match. Absent: the whole value of matching string keys. */
    hashField: line(200, "Hash field")
      .min(1, { error: "Hash field is a field name, or leave it out to mask whole string values." })
      .optional(),
    kind: z.enum(redisMaskKinds, {
      error: (issue) =>
        issue.input === "null"
          ? "Redis has no null: use fixed with an empty value, or keep."
          : `Kind is one of ${REDIS_KIND_WORDS}.`,
    }),
    value: fixedValue,
  })
  .superRefine((rule, ctx) => fixedValueIssue(rule, ctx));

export type RedisRule = z.infer<typeof redisRuleSchema>;

export const maskingRulesSchema = z
  .object({
    columns: z.array(columnRuleSchema, { error: "Column rules are a list." }).max(2000, { error: "At most 2,000 column rules." }).default([]),
    redis: z.array(redisRuleSchema, { error: "Redis rules are a list." }).max(200, { error: "At most 200 Redis rules." }).default([]),
  })
  .superRefine((rules, ctx) => {
    // Tables are told apart by case (MySQL on Linux), columns are not (MySQL never does).
    const columns = new Map<string, number>();
    rules.columns.forEach((rule, index) => {
      const key = `${rule.table}\u0000${rule.column.toLowerCase()}`;
      const first = columns.get(key);
      if (first === undefined) columns.set(key, index);
      else ctx.addIssue({ code: "custom", path: ["columns", index, "column"], message: `${rule.table}.${rule.column} already has a rule (rule ${first + 1}).` });
    });
    const redis = new Map<string, number>();
    rules.redis.forEach((rule, index) => {
      const key = `${rule.keyPattern}\u0000${rule.hashField ?? ""}`;
      const first = redis.get(key);
      if (first === undefined) redis.set(key, index);
      else {
        const what = rule.hashField === undefined ? `Keys ${rule.keyPattern}` : `Field ${rule.hashField} of keys ${rule.keyPattern}`;
        ctx.addIssue({ code: "custom", path: ["redis", index, "keyPattern"], message: `${what} already have a rule (rule ${first + 1}).` });
      }
    });
  });

/** The masking preview's question: a table and the column rules being edited (not yet saved). */
export const maskingPreviewInputSchema = z.object({
  table: line(64, "Table").min(1, { error: "Choose a table." }),
  columns: z.array(columnRuleSchema).max(500),
});

export type MaskingRulesInput = z.input<typeof maskingRulesSchema>;
export type MaskingRules = z.infer<typeof maskingRulesSchema>;

function fixedValueIssue(rule: { kind: string; value?: string }, ctx: z.RefinementCtx): void {
  if (rule.kind === "fixed" && rule.value === undefined) {
    ctx.addIssue({ code: "custom", path: ["value"], message: "A fixed rule needs the value to write (it may be empty)." });
  } else if (rule.kind !== "fixed" && rule.value !== undefined) {
    ctx.addIssue({ code: "custom", path: ["value"], message: `Only a fixed rule takes a value: clear it, or choose fixed.` });
  }
}
