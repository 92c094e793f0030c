import { describe, expect, it } from "vitest";
import { makeMatcher } from "@/lib/logs/filter";
import { FilteredLines } from "./filtered-lines";
import type { ViewLine } from "./use-log-stream";

const line = (seq: number, text: string): ViewLine => ({ seq, source: "p/c", time: "", text, plain: text });

describe("FilteredLines", () => {
  it("tests each new line once, drops lines gone from the buffer, and starts over on a new search", () => {
    const view = new FilteredLines();
    const errors = makeMatcher({ query: "error", regex: false, caseSensitive: false });
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
