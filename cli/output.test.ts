import { describe, expect, it } from "vitest";
import { progressText } from "./commands/data.js";
import { formatLines } from "./logs.js";
import { cell, table } from "./output.js";

describe("what the CLI prints", () => {
  it("keeps a log line's colours and removes what would drive the terminal", () => {
    const out = formatLines([["web-1", "2026-01-01T00:00:00Z", "\u001b[31mERROR\u001b[0m boom\u001b]0;owned\u0007\u001b[2J\u202e"]], { tagged: true, timestamps: true });
    expect(out).toBe("2026-01-01T00:00:00Z [web-1] \u001b[31mERROR\u001b[0m boom⟦U+202E⟧\n");
    expect(formatLines([["web-1", "t", "x"]], { tagged: false, json: true })).toBe('{"source":"web-1","time":"t","text":"x"}\n');
  });

  it("lines up a table and keeps every value on one line", () => {
    expect(table([{ a: "pr-1", b: "Ready" }, { a: "pr-100", b: "line\nbreak" }], [{ header: "NAME", value: (r) => r.a }, { header: "STATUS", value: (r) => r.b }])).toBe(
      "NAME    STATUS\npr-1    Ready\npr-100  line break",
    );
    expect(cell(null)).toBe("-");
  });

  it("says a copy's progress in units of its kind", () => {
    const copy = { kind: "mysql", status: "running", progress: { phase: "copying", itemsDone: 3, itemsTotal: 10, unitsDone: 12000, unitsTotal: 50000, bytesDone: 1_200_000, rate: 4000, etaSeconds: 9.5, current: "orders" } } as any;
    expect(progressText(copy)).toBe("copying · tables 3/10 · rows 12,000/50,000 (24%) · 1.2 MB · 4,000 rows/s · 10 s left · orders");
    expect(progressText({ kind: "redis", status: "pending", progress: {} } as any)).toBe("pending");
  });
});
