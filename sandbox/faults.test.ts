import { describe, expect, it } from "vitest";
import { FaultBoard } from "./faults";

async function fates(board: FaultBoard, n: number) {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await board.decide("route53"));
  return out;
}

describe("FaultBoard", () => {
  it("replays the same fates for the same seed, and starts over when the faults are set again", async () => {
    const board = new FaultBoard();
    board.set("route53", { errorRate: 0.3, dropRate: 0.25, seed: 7 });
    const first = await fates(board, 50);
    board.set("route53", { errorRate: 0.3, dropRate: 0.25, seed: 7 });
    expect(await fates(board, 50)).toEqual(first);
    expect(first[0]).toBe("drop");
    expect(new Set(first)).toEqual(new Set(["drop", "error", "pass"]));
    board.set("route53", { errorRate: 0.3, dropRate: 0.25, seed: 8 });
    expect(await fates(board, 50)).not.toEqual(first);
  });

  it("passes everything without faults, seeded or not", async () => {
    const board = new FaultBoard({ route53: { seed: 1 } });
    expect(new Set(await fates(board, 20))).toEqual(new Set(["pass"]));
  });
});
