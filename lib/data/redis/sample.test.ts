import { describe, expect, it } from "vitest";
import { KeySample } from "./sample";

const key = (i: number) => ({ source: Buffer.from(`k:${i}`), target: Buffer.from(`t:${i}`), masked: false, hadTtl: false });

describe("KeySample", () => {
  it("keeps at most its size, the same keys whatever the order they come in", () => {
    const a = new KeySample(50);
    const b = new KeySample(50);
    for (let i = 0; i < 5_000; i++) a.offer(key(i));
    for (let i = 4_999; i >= 0; i--) b.offer(key(i));
    const names = (s: KeySample) => s.keys().map((k) => k.source.toString()).sort();
    expect(a.keys()).toHaveLength(50);
    expect(names(a)).toEqual(names(b));
  });
  it("counts a key SCAN returned twice once", () => {
    const s = new KeySample(10);
    s.offer(key(1));
    s.offer(key(1));
    s.offer(key(2));
    expect(s.keys()).toHaveLength(2);
  });
});
