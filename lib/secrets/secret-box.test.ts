import { describe, expect, it } from "vitest";
import { SecretBox, SecretKeyError, generateSecretKey, parseSecretKeys } from "./secret-box";

describe("SecretBox", () => {
  const old = generateSecretKey("old");
  const next = generateSecretKey("new");

  it("seals and opens, never the same ciphertext twice, never the plaintext inside", () => {
    const box = new SecretBox(parseSecretKeys(old));
    const a = box.seal("s3cr3t-pässword", "data-source:1");
    const b = box.seal("s3cr3t-pässword", "data-source:1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("s3cr3t");
    expect(a.startsWith("v1:old:")).toBe(true);
    expect(box.open(a, "data-source:1")).toBe("s3cr3t-pässword");
  });

  it("refuses a value moved to another purpose or altered", () => {
    const box = new SecretBox(parseSecretKeys(old));
    const sealed = box.seal("pw", "data-source:1");
    expect(() => box.open(sealed, "data-source:2")).toThrow(SecretKeyError);
    const parts = sealed.split(":");
    parts[4] = Buffer.from("xx").toString("base64");
    expect(() => box.open(parts.join(":"), "data-source:1")).toThrow(/does not decrypt/);
  });

  it("rotates: the first key seals, older ones still open, a dropped key is named", () => {
    const before = new SecretBox(parseSecretKeys(old));
    const sealed = before.seal("pw", "p");
    const rotated = new SecretBox(parseSecretKeys(`${next},${old}`));
    expect(rotated.open(sealed, "p")).toBe("pw");
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.isStale(rotated.seal("pw", "p"))).toBe(false);
    expect(() => new SecretBox(parseSecretKeys(next)).open(sealed, "p")).toThrow(/key "old", which CORRAL_SECRET_KEYS no longer lists/);
  });

  it("says what is wrong with a key list, and that none is set", () => {
    expect(() => parseSecretKeys("abc")).toThrow(/id:base64/);
    expect(() => parseSecretKeys(`k:${Buffer.alloc(16).toString("base64")}`)).toThrow(/32 bytes/);
    expect(() => parseSecretKeys(`${old},${old}`)).toThrow(/differ/);
    expect(() => new SecretBox([]).seal("x", "p")).toThrow(/CORRAL_SECRET_KEYS is not set/);
  });
});
