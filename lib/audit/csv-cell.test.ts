import { describe, expect, it } from "vitest";
import { csvCell } from "./list-audit";

describe("csvCell", () => {
  it("quotes commas, quotes and new lines", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell("plain")).toBe("plain");
  });

  it("defuses cells a spreadsheet would evaluate", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
  });
});
