import { describe, expect, it } from "vitest";
import { advance, alreadySeen, type Cursor, CURSOR_MAX, decodeCursor, encodeCursor } from "./cursor";
import { splitTimestamp, timeKey } from "./log-line";

describe("log lines", () => {
  it("splits the kubelet's timestamp from the text", () => {
    expect(splitTimestamp("2026-11-22T10:20:00.123456789Z GET / 200")).toEqual({ time: "2026-11-22T10:20:00.123456789Z", text: "GET / 200" });
    expect(splitTimestamp("2026-11-22T10:20:00Z hi")).toEqual({ time: "2026-11-22T10:20:00Z", text: "hi" });
    expect(splitTimestamp("no stamp")).toBeNull();
  });

  it("orders timestamps of any precision", () => {
    expect(timeKey("2026-11-22T10:20:00.5Z")).toBe(timeKey("2026-11-22T10:20:00.500000000Z"));
    expect(timeKey("2026-11-22T10:20:00.000000001Z") > timeKey("2026-11-22T10:20:00Z")).toBe(true);
  });
});

describe("resuming from a cursor", () => {
  it("skips exactly what the reader had, including lines that share a timestamp", () => {
    const had: Cursor = {};
    const t0 = "2026-11-22T10:00:00.000000000Z";
    const t1 = "2026-11-22T10:00:01.000000000Z";
    for (const t of [t0, t0, t0, t1]) advance(had, "web-1/web", t);
    const resumed = decodeCursor(encodeCursor(had))!;
    expect(resumed).toEqual({ "web-1/web": { time: t1, count: 1 } });

    // Kubernetes resends from the cursor's time: t1 (seen), then another t1 line and t2 (new).
    const seen = new Map<string, number>();
    const replay = [t0, t1, t1, "2026-11-22T10:00:02Z"].map((t) => alreadySeen(resumed, seen, "web-1/web", t));
    expect(replay).toEqual([true, true, false, false]);
    // A source the reader never saw is all new.
    expect(alreadySeen(resumed, seen, "web-2/web", t0)).toBe(false);
  });

  it("ignores a cursor that is not one", () => {
    expect(decodeCursor("not base64 json")).toBeNull();
    expect(decodeCursor(Buffer.from('{"a":{"time":1}}').toString("base64url"))).toEqual({});
    expect(decodeCursor(Buffer.from('{"a":{"time":"yesterday&x=1","count":1}}').toString("base64url"))).toEqual({});
  });
});

describe("encodeCursor", () => {
  it("stays within CURSOR_MAX, keeping the sources heard from most recently", () => {
    const cursor: Cursor = {};
    for (let i = 0; i < 200; i++) cursor[`web-5d8f7c9b4-pod${i}/web`] = { time: `2026-11-29T10:00:${String(i % 60).padStart(2, "0")}.${String(i).padStart(9, "0")}Z`, count: 1 };
    const encoded = encodeCursor(cursor);
    expect(encoded.length).toBeLessThanOrEqual(CURSOR_MAX);
    const decoded = decodeCursor(encoded)!;
    expect(Object.keys(decoded).length).toBeGreaterThan(10);
    expect(decoded["web-5d8f7c9b4-pod179/web"]).toBeDefined(); // :59 — among the newest
    expect(decoded["web-5d8f7c9b4-pod0/web"]).toBeUndefined(); // :00 — among the oldest
  });
});
