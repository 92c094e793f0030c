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

  it("counts what became of each request, and how long clients waited after a Retry-After", async () => {
    const board = new FaultBoard();
    board.set("kube", { throttleRate: 1, retryAfterSeconds: 2 });
    expect(await board.decide("kube")).toBe("throttle");
    board.set("kube", {});
    expect(await board.decide("kube")).toBe("pass");
    expect(board.counts().kube).toEqual({ pass: 1, error: 0, drop: 0, throttle: 1 });

    const t = 1_000_000;
    board.noteThrottled("kube", "PATCH /apis/apps/v1/namespaces/a/deployments/web", 2, t);
    board.noteThrottled("kube", "GET /api/v1/namespaces/a", 2, t);
    // Another request, and the same one from the same client on time and from another too soon.
    board.noteArrival("kube", "GET /api/v1/namespaces/b", t + 10);
    board.noteArrival("kube", "PATCH /apis/apps/v1/namespaces/a/deployments/web", t + 2_150);
    board.noteArrival("kube", "GET /api/v1/namespaces/a", t + 400);
    // Seen once: a later request for the same URL is a new one.
    board.noteArrival("kube", "GET /api/v1/namespaces/a", t + 500);
    expect(board.retryAfterStats().kube).toEqual({ sent: 2, returned: 2, early: 1, minWaitMs: 400, totalWaitMs: 2_550, earlyExamples: ["GET /api/v1/namespaces/a after 400 ms"] });
    board.resetCounts();
    expect(board.retryAfterStats().kube.sent).toBe(0);
    expect(board.counts().kube.pass).toBe(0);
  });
});
