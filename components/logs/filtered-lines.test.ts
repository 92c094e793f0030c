import { describe, expect, it } from "vitest";
import { makeMatcher } from "@/lib/logs/filter";
import { FilteredLines } from "./filtered-lines";
import { lineFilter } from "./line-filter";
import type { ViewLine } from "./use-log-stream";

const line = (seq: number, text: string): ViewLine => ({ seq, source: "p/c", time: "", text, plain: text });
const search = (query: string) => {
  const m = makeMatcher({ query, regex: false, caseSensitive: false });
  return m && "test" in m ? m : null;
};

describe("FilteredLines", () => {
  it("tests each new line once, drops lines gone from the buffer, and starts over on a new search", () => {
    const view = new FilteredLines();
    const errors = lineFilter(search("error"), new Set());
    const all = [line(0, "ok"), line(1, "ERROR a"), line(2, "ok")];
    expect(view.update(all, errors, "error", Infinity).map((l) => l.seq)).toEqual([1]);
    all.push(line(3, "error b"), line(4, "ok"));
    expect(view.update(all, errors, "error", Infinity).map((l) => l.seq)).toEqual([1, 3]);
    all.splice(0, 2); // the buffer dropped its oldest lines
    expect(view.update(all, errors, "error", Infinity).map((l) => l.seq)).toEqual([3]);
    expect(view.update(all, null, "", Infinity).map((l) => l.seq)).toEqual([2, 3, 4]);
  });

  it("stops at the pause point and catches up on resume", () => {
    const view = new FilteredLines();
    const all = [line(0, "a"), line(1, "b"), line(2, "c")];
    expect(view.update(all, null, "", 2).map((l) => l.seq)).toEqual([0, 1]);
    expect(view.update(all, null, "", Infinity).map((l) => l.seq)).toEqual([0, 1, 2]);
  });
});

describe("lineFilter", () => {
  const all = [
    line(0, "INFO  GET /api/orders 200"),
    line(1, "WARN  slow query on orders took 900ms"),
    line(2, "ERROR upstream timeout calling orders-service"),
    line(3, '{"level":50,"msg":"payment failed"}'),
    line(4, "10.0.0.1 - - GET /orders 200"),
  ];
  const seqs = (test: ReturnType<typeof lineFilter>) => all.filter((l) => !test || test(l)).map((l) => l.seq);

  it("keeps the chosen severities, and every line when none is chosen", () => {
    expect(lineFilter(null, new Set())).toBeNull();
    expect(seqs(lineFilter(null, new Set(["error"])))).toEqual([2, 3]);
    expect(seqs(lineFilter(null, new Set(["error", "warn"])))).toEqual([1, 2, 3]);
    expect(seqs(lineFilter(null, new Set(["info"])))).toEqual([0]);
  });

  it("combines a severity with the search", () => {
    expect(seqs(lineFilter(search("orders"), new Set()))).toEqual([0, 1, 2, 4]);
    expect(seqs(lineFilter(search("orders"), new Set(["error", "warn"])))).toEqual([1, 2]);
    expect(seqs(lineFilter(search("payment"), new Set(["warn"])))).toEqual([]);
  });
});
