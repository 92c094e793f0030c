import { describe, expect, it } from "vitest";
import { z } from "zod";
import { columnRuleSchema, maskingRulesSchema, redisRuleSchema } from "./schemas";

const messages = (result: { success: boolean; error?: z.ZodError }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("columnRuleSchema", () => {
  it("takes a rule, and a fixed rule with its value (empty allowed)", () => {
    expect(columnRuleSchema.safeParse({ table: "users", column: "email", kind: "email" }).success).toBe(true);
    expect(columnRuleSchema.safeParse({ table: "users", column: "note", kind: "fixed", value: "" }).success).toBe(true);
  });

  it("says in the field what is wrong", () => {
    expect(messages(columnRuleSchema.safeParse({ table: "users", column: "note", kind: "fixed" }))).toEqual({
      value: "A fixed rule needs the value to write (it may be empty).",
    });
    expect(messages(columnRuleSchema.safeParse({ table: "users", column: "note", kind: "email", value: "x" }))).toEqual({
      value: "Only a fixed rule takes a value: clear it, or choose fixed.",
    });
    expect(messages(columnRuleSchema.safeParse({ table: "", column: "x".repeat(65), kind: "scramble" }))).toEqual({
      table: "Table is required.",
      column: "Column is at most 64 characters.",
      kind: "Kind is one of email, name, fixed, null, keep or hash-id.",
    });
    expect(messages(columnRuleSchema.safeParse({ table: "users ", column: "e\nmail", kind: "null" }))).toEqual({
      table: "Table cannot end with a space.",
      column: "Column is one line: no line breaks or tabs.",
    });
    expect(messages(columnRuleSchema.safeParse({ column: "email", kind: "null" }))).toEqual({ table: "Table is required." });
  });
});

describe("redisRuleSchema", () => {
  it("takes a key pattern with or without a hash field", () => {
    expect(redisRuleSchema.safeParse({ keyPattern: "session:*", kind: "hash-id" }).success).toBe(true);
    expect(redisRuleSchema.safeParse({ keyPattern: "user:[0-9]*", hashField: "email", kind: "email" }).success).toBe(true);
  });

  it("refuses null (Redis has none), saying what to use instead", () => {
    expect(messages(redisRuleSchema.safeParse({ keyPattern: "user:*", kind: "null" }))).toEqual({
      kind: "Redis has no null: use fixed with an empty value, or keep.",
    });
    expect(messages(redisRuleSchema.safeParse({ keyPattern: "", hashField: "", kind: "fixed" }))).toEqual({
      keyPattern: "Key pattern is required, e.g. session:* or user:[0-9]*.",
      hashField: "Hash field is a field name, or leave it out to mask whole string values.",
      value: "A fixed rule needs the value to write (it may be empty).",
    });
    expect(messages(redisRuleSchema.safeParse({ keyPattern: "k".repeat(201), kind: "keep" }))).toEqual({ keyPattern: "At most 200 characters." });
  });
});

describe("maskingRulesSchema", () => {
  it("defaults to no rules", () => {
    expect(maskingRulesSchema.parse({})).toEqual({ columns: [], redis: [] });
  });

  it("names a duplicate, columns compared without case as MySQL does", () => {
    const result = maskingRulesSchema.safeParse({
      columns: [
        { table: "users", column: "email", kind: "email" },
        { table: "Users", column: "email", kind: "email" },
        { table: "users", column: "EMAIL", kind: "keep" },
      ],
      redis: [
        { keyPattern: "user:*", hashField: "email", kind: "email" },
        { keyPattern: "user:*", kind: "keep" },
        { keyPattern: "user:*", hashField: "email", kind: "keep" },
      ],
    });
    expect(messages(result)).toEqual({
      "columns.2.column": "users.EMAIL already has a rule (rule 1).",
      "redis.2.keyPattern": "Field email of keys user:* already have a rule (rule 1).",
    });
  });
});
