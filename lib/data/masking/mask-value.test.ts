import { describe, expect, it } from "vitest";
import { FIRST_NAMES, LAST_NAMES } from "./fake-names";
import { INVALID_EMAIL_DOMAIN, maskBytes, maskEmail, maskHashId, maskHashIdNumber, maskingKey, maskName } from "./mask-value";

const key = maskingKey("installation-secret");
const otherKey = maskingKey(Buffer.from("another-installation"));

describe("maskEmail", () => {
  it("keeps the domain and replaces the local part by a hash", () => {
    expect(maskEmail(key, "jane.doe@example.com")).toMatch(/^u_[0-9a-f]{16}@example\.com$/);
  });

  it("gives the same output for the same address in any case, and on every call", () => {
    const once = maskEmail(key, "Jane.Doe@Example.COM");
    expect(maskEmail(key, "jane.doe@example.com")).toBe(once);
    expect(maskEmail(maskingKey("installation-secret"), " jane.doe@example.com ")).toBe(once);
  });

  it("differs between addresses, and between installations", () => {
    expect(maskEmail(key, "jane@example.com")).not.toBe(maskEmail(key, "john@example.com"));
    expect(maskEmail(key, "jane@example.com")).not.toBe(maskEmail(key, "jane@example.org").replace(".org", ".com"));
    expect(maskEmail(otherKey, "jane@example.com")).not.toBe(maskEmail(key, "jane@example.com"));
  });

  it("masks what is not an address too, deterministically, to a domain that cannot receive mail", () => {
    const masked = maskEmail(key, "not an address");
    expect(masked).toMatch(new RegExp(`^u_[0-9a-f]{16}@${INVALID_EMAIL_DOMAIN.replace(".", "\\.")}$`));
    expect(maskEmail(key, "not an address")).toBe(masked);
    expect(maskEmail(key, "jane@")).toMatch(/@masked\.invalid$/);
    expect(maskEmail(key, "")).toBe("");
  });

  it("refuses an empty secret", () => {
    expect(() => maskingKey("")).toThrow(/secret is empty/);
  });
});

describe("maskName", () => {
  it("keeps the number of words: first names, then a last name", () => {
    const one = maskName(key, "Madonna");
    expect(one.split(" ")).toHaveLength(1);
    expect(FIRST_NAMES).toContain(one);
    const [first, last] = maskName(key, "Jane Doe").split(" ");
    expect(FIRST_NAMES).toContain(first);
    expect(LAST_NAMES).toContain(last);
    expect(maskName(key, "Jean Claude Van Damme").split(" ")).toHaveLength(4);
  });

  it("is deterministic and reads case and spacing loosely, writing the original's case", () => {
    const masked = maskName(key, "Jane Doe");
    expect(maskName(key, "jane   doe").toLowerCase()).toBe(masked.toLowerCase());
    expect(maskName(key, "jane doe")).toBe(masked.toLowerCase());
    expect(maskName(key, "JANE DOE")).toBe(masked.toUpperCase());
    expect(maskName(otherKey, "Jane Doe")).not.toBe(masked);
  });

  it("writes every list entry as one word, each once", () => {
    for (const list of [FIRST_NAMES, LAST_NAMES]) {
      expect(list.every((name) => /^\S+$/.test(name))).toBe(true);
      expect(new Set(list).size).toBe(list.length);
      expect(list.length).toBeGreaterThanOrEqual(200);
    }
  });
});

describe("maskHashId", () => {
  const shapeOf = (s: string) => s.replace(/[0-9]/g, "9").replace(/[A-Z]/g, "A").replace(/[a-z]/g, "a");

  it("keeps the length, the character classes and everything else", () => {
    for (const value of ["+33 6 12 34 56 78", "GB82 WEST 1234 5698 7654 32", "078-05-1120", "ORD-2024-00042", "aB3-zZ9", "Müller-42"]) {
      const masked = maskHashId(key, value);
      expect(masked).toHaveLength(value.length);
      expect(shapeOf(masked)).toBe(shapeOf(value));
      expect(masked).not.toBe(value);
      expect(maskHashId(key, value)).toBe(masked);
      expect(maskHashId(otherKey, value)).not.toBe(masked);
    }
  });

  it("is one-to-one among values of one shape, so unique columns stay unique", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(maskHashId(key, `A${String(i).padStart(4, "0")}`));
    expect(seen.size).toBe(10_000);
  });

  it("keeps a non-zero first digit non-zero, and a leading zero where there was one possible", () => {
    for (let i = 1; i < 2000; i++) expect(maskHashId(key, String(i))[0]).not.toBe("0");
    const withZero = Array.from({ length: 200 }, (_, i) => maskHashId(key, `0${String(i).padStart(3, "0")}`));
    expect(withZero.some((v) => v[0] === "0")).toBe(true);
  });

  it("handles values too long for a double (the BigInt path)", () => {
    const iban = "DE89370400440532013000123456789012";
    const masked = maskHashId(key, iban);
    expect(shapeOf(masked)).toBe(shapeOf(iban));
    expect(masked).not.toBe(iban);
    expect(maskHashId(key, iban)).toBe(masked);
  });
});

describe("maskHashIdNumber", () => {
  it("gives numbers of the same type, digit count and sign, without a leading zero", () => {
    for (const n of [7, 42, 12345, -987654, 2_147_483_647]) {
      const masked = maskHashIdNumber(key, n);
      expect(typeof masked).toBe("number");
      expect(Number.isInteger(masked)).toBe(true);
      expect(String(Math.abs(masked))).toHaveLength(String(Math.abs(n)).length);
      expect(Math.sign(masked)).toBe(Math.sign(n));
    }
    expect(typeof maskHashIdNumber(key, 123n)).toBe("bigint");
    expect(maskHashIdNumber(key, "9007199254740993123")).toMatch(/^[1-9]\d{18}$/);
  });

  it("stays within the column's maximum, one-to-one", () => {
    const seen = new Set<number>();
    for (let i = 100; i <= 127; i++) {
      const masked = maskHashIdNumber(key, i, 127n);
      expect(masked).toBeGreaterThanOrEqual(100);
      expect(masked).toBeLessThanOrEqual(127);
      seen.add(masked);
    }
    expect(seen.size).toBe(28);
  });

  it("masks the same number alike as a number and as numeric text (joins across types)", () => {
    expect(String(maskHashIdNumber(key, 4821))).toBe(maskHashIdNumber(key, "4821"));
    expect(maskHashId(key, "4821")).toBe(maskHashIdNumber(key, "4821"));
  });

  it("masks decimals digit by digit and leaves non-finite numbers", () => {
    expect(maskHashIdNumber(key, "1234.50")).toMatch(/^\d{4}\.\d{2}$/);
    expect(Number.isFinite(maskHashIdNumber(key, 12.5))).toBe(true);
    expect(maskHashIdNumber(key, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("maskBytes", () => {
  it("keeps the length, is deterministic and one-to-one", () => {
    const uuid = Buffer.from("0123456789abcdef0123456789abcdef", "hex");
    const masked = maskBytes(key, uuid);
    expect(masked).toHaveLength(16);
    expect(masked.equals(uuid)).toBe(false);
    expect(maskBytes(key, uuid).equals(masked)).toBe(true);
    expect(uuid.toString("hex")).toBe("0123456789abcdef0123456789abcdef"); // the input is not changed
    const seen = new Set<string>();
    for (let i = 0; i < 256; i++) seen.add(maskBytes(key, Buffer.from([i])).toString("hex"));
    for (let i = 0; i < 8192; i++) seen.add(maskBytes(key, Buffer.from([i >> 8, i & 255])).toString("hex"));
    expect(seen.size).toBe(256 + 8192);
    expect(maskBytes(key, Buffer.alloc(100, 7))).toHaveLength(100);
  });
});
