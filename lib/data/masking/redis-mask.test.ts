import { describe, expect, it } from "vitest";
import { createRedisMask } from "./redis-mask";
import type { RedisRule } from "./schemas";
import { maskEmail, maskingKey } from "./mask-value";

const rules: RedisRule[] = [
  { keyPattern: "session:admin:*", kind: "keep" },
  { keyPattern: "session:*", kind: "hash-id" },
  { keyPattern: "user:*", hashField: "email", kind: "email" },
  { keyPattern: "user:*", hashField: "name", kind: "name" },
  { keyPattern: "user:*", hashField: "note", kind: "fixed", value: "" },
];

describe("createRedisMask", () => {
  const mask = createRedisMask(rules, "secret");

  it("applies to the keys some rule's pattern matches", () => {
    expect(mask.appliesTo("user:1")).toBe(true);
    expect(mask.appliesTo("session:abc")).toBe(true);
    expect(mask.appliesTo("cart:1")).toBe(false);
  });

  it("says which keys may go as they are when they are not strings or hashes: only those a keep rule (or only hash-field rules) decides", () => {
    expect(mask.keepsAsIs("session:admin:1")).toBe(true);
    expect(mask.keepsAsIs("session:abc")).toBe(false);
    expect(mask.keepsAsIs("user:1")).toBe(true);
  });

  it("masks hash fields by their rule and leaves other fields", () => {
    const email = mask.maskHashField("user:1", "email", Buffer.from("Jane@Example.com")).toString();
    expect(email).toBe(maskEmail(maskingKey("secret"), "jane@example.com")); // as in MySQL: joins across stores match
    expect(mask.maskHashField("user:1", "name", Buffer.from("Jane Doe")).toString().split(" ")).toHaveLength(2);
    expect(mask.maskHashField("user:1", "note", Buffer.from("call after 6pm")).toString()).toBe("");
    expect(mask.maskHashField("user:1", "plan", Buffer.from("gold")).toString()).toBe("gold");
    // A hash-field rule does not touch the key's string value.
    expect(mask.maskString("user:1", Buffer.from("x")).toString()).toBe("x");
  });

  it("masks string values, the first matching rule winning", () => {
    const token = Buffer.from("AbC123xyz");
    const masked = mask.maskString("session:abc", token);
    expect(masked.toString()).toMatch(/^[A-Z][a-z][A-Z]\d{3}[a-z]{3}$/);
    expect(masked.toString()).not.toBe("AbC123xyz");
    expect(mask.maskString("session:admin:1", token).toString()).toBe("AbC123xyz");
  });

  it("masks bytes that are not UTF-8 as bytes, deterministically", () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    const masked = mask.maskString("session:bin", bytes);
    expect(masked).toHaveLength(5);
    expect(masked.equals(bytes)).toBe(false);
    expect(createRedisMask(rules, "secret").maskString("session:bin", bytes).equals(masked)).toBe(true);
    expect(createRedisMask(rules, "other").maskString("session:bin", bytes).equals(masked)).toBe(false);
  });
});
