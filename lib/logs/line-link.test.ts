import { describe, expect, it } from "vitest";
import { LINK_CONTEXT_MS, LineFinder, lineLinkQuery, lineTargetOf, linkSince, nthAtTime } from "./line-link";

const web = "web-7d9c-x2k/web";
const api = "api-55f-abc/api";

describe("links to a line", () => {
  it("keep which logs the viewer shows, and name the line by source, time and position", () => {
    const current = new URLSearchParams({ component: "web", pod: "web-7d9c-x2k", previous: "true", tail: "2000" });
    const q = lineLinkQuery(current, { source: web, time: "2026-11-22T10:20:00.123456789Z", nth: 1 });
    expect(Object.fromEntries(q)).toEqual({ component: "web", pod: "web-7d9c-x2k", previous: "true", source: web, at: "2026-11-22T10:20:00.123456789Z" });
    expect(lineLinkQuery(new URLSearchParams(), { source: web, time: "2026-11-22T10:20:00Z", nth: 3 }).get("n")).toBe("3");
  });

  it("are read back from the viewer's URL", () => {
    const q = lineLinkQuery(new URLSearchParams({ component: "web" }), { source: web, time: "2026-11-22T10:20:00.5Z", nth: 2 });
    expect(lineTargetOf(q)).toEqual({ source: web, time: "2026-11-22T10:20:00.5Z", nth: 2 });
    expect(lineTargetOf(new URLSearchParams({ component: "web" }))).toBeNull();
  });

  it("that are malformed say what is wrong", () => {
    expect(lineTargetOf(new URLSearchParams({ at: "yesterday", source: web }))).toEqual({ error: expect.stringMatching(/time/) });
    expect(lineTargetOf(new URLSearchParams({ at: "2026-11-22T10:20:00Z", source: "Web/../x" }))).toEqual({ error: expect.stringMatching(/pod and container/) });
    expect(lineTargetOf(new URLSearchParams({ at: "2026-11-22T10:20:00Z", source: web, n: "-2" }))).toEqual({ source: web, time: "2026-11-22T10:20:00Z", nth: 1 });
  });

  it("open the stream a little before the line", () => {
    const since = linkSince({ source: web, time: "2026-11-22T10:20:00.123456789Z", nth: 1 });
    expect(Date.parse("2026-11-22T10:20:00.123Z") - Date.parse(since)).toBe(LINK_CONTEXT_MS);
  });
});

describe("nthAtTime", () => {
  it("counts the source's earlier lines with the same timestamp, past other sources' lines", () => {
    const t0 = "2026-11-22T10:20:00Z";
    const lines = [
      { source: web, time: "2026-11-22T09:00:00Z" },
      { source: web, time: t0 },
      { source: api, time: t0 },
      { source: web, time: t0 },
      { source: web, time: t0 },
    ];
    expect(nthAtTime(lines, 1)).toBe(1);
    expect(nthAtTime(lines, 2)).toBe(1);
    expect(nthAtTime(lines, 4)).toBe(3);
    expect(nthAtTime(lines, -3)).toBe(1);
    expect(nthAtTime(lines, 9)).toBe(1);
  });
});

describe("LineFinder", () => {
  const t = (s: number) => `2026-11-22T10:20:${String(s).padStart(2, "0")}.000000000Z`;
  it("finds the nth line of its source with its timestamp, across batches", () => {
    const finder = new LineFinder({ source: web, time: t(5), nth: 2 });
    const lines = [
      { seq: 0, source: web, time: t(4) },
      { seq: 1, source: web, time: t(5) },
      { seq: 2, source: api, time: t(5) },
    ];
    expect(finder.scan(lines)).toBeNull();
    lines.push({ seq: 3, source: web, time: t(5) }, { seq: 4, source: web, time: t(6) });
    expect(finder.scan(lines)).toEqual({ found: 3 });
    expect(finder.scan(lines)).toEqual({ found: 3 });
  });

  it("says the line is gone once a later line of its source came without it", () => {
    const finder = new LineFinder({ source: web, time: t(5), nth: 1 });
    expect(finder.scan([{ seq: 0, source: api, time: t(9) }])).toBeNull();
    expect(finder.scan([{ seq: 0, source: api, time: t(9) }, { seq: 1, source: web, time: t(7) }])).toEqual({ gone: true });
  });

  it("keeps its place when older lines were dropped from the front", () => {
    const finder = new LineFinder({ source: web, time: t(8), nth: 1 });
    expect(finder.scan([{ seq: 10, source: web, time: t(6) }, { seq: 11, source: web, time: t(7) }])).toBeNull();
    expect(finder.scan([{ seq: 11, source: web, time: t(7) }, { seq: 12, source: web, time: t(8) }])).toEqual({ found: 12 });
  });
});
