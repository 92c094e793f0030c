import { describe, expect, it } from "vitest";
import { LineMerger } from "./line-merger";

const line = (i: number, source = "a/a") => ({ source, time: `2026-11-22T10:00:00.${String(i).padStart(9, "0")}Z`, text: `line ${i}` });

describe("LineMerger", () => {
  it("delivers every line of every producer in batches, then ends", async () => {
    const merger = new LineMerger();
    const endA = merger.addProducer();
    const endB = merger.addProducer();
    for (let i = 0; i < 2_500; i++) merger.add(line(i, i % 2 ? "a/a" : "b/b"));
    endA();
    endB();
    const got: string[] = [];
    for (let batch = await merger.next(); batch; batch = await merger.next()) got.push(...batch.map((l) => l.text));
    expect(got).toHaveLength(2_500);
    expect(got[0]).toBe("line 0");
    expect(got.at(-1)).toBe("line 2499");
  });

  it("makes producers wait while the reader is behind, and lets them go as it reads", async () => {
    const merger = new LineMerger();
    merger.addProducer();
    for (let i = 0; i < 16 * 1_000; i++) merger.add(line(i));
    let released = false;
    const waiting = merger.room().then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    await merger.next();
    await waiting;
    expect(released).toBe(true);
  });

  it("releases everyone when the reader goes away", async () => {
    const merger = new LineMerger();
    merger.addProducer();
    for (let i = 0; i < 16 * 1_000; i++) merger.add(line(i));
    const waiting = merger.room();
    merger.close();
    await waiting;
    expect(await merger.next()).toBeNull();
  });
});

describe("LineMerger latency", () => {
  it("hands a chunk to a waiting reader at once, without waiting for the batch timer", async () => {
    const merger = new LineMerger();
    merger.addProducer();
    const next = merger.next();
    merger.add(line(1));
    merger.endOfChunk();
    let got: unknown = null;
    void next.then((b) => (got = b));
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toEqual([line(1)]);
  });
});
