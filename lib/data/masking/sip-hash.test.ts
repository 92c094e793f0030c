import { describe, expect, it } from "vitest";
import { sipHash, sipKey } from "./sip-hash";

// The reference vectors of SipHash-2-4 (key 00..0f, message 00..len-1), from the paper's appendix.
describe("sipHash", () => {
  it.each([
    [0, "726fdb47dd0e0e31"],
    [1, "74f839c593dc67fd"],
    [15, "a129ca6149be45e5"],
    [63, "958a324ceb064572"],
  ])("hashes %i bytes as the reference does", (length, expected) => {
    const out = new Uint32Array(2);
    sipHash(sipKey(Buffer.from(Array.from({ length: 16 }, (_, i) => i))), Buffer.from(Array.from({ length }, (_, i) => i)), length, out);
    expect(out[0]!.toString(16).padStart(8, "0") + out[1]!.toString(16).padStart(8, "0")).toBe(expected);
  });
});
