import { describe, expect, it } from "vitest";
import { rowFilterProblem } from "./row-filter";

describe("rowFilterProblem", () => {
  it("lets one expression on the row's own columns through", () => {
    for (const f of [
      "id > 5 AND name LIKE 'a%'",
      "created_at >= NOW() - INTERVAL 30 DAY",
      "status IN ('paid', 'shipped') OR (total BETWEEN 10 AND 20.5)",
      "`order` IS NOT NULL AND note <> 'it''s -- fine; really'",
      "JSON_EXTRACT(attributes, '$.colour') = 'red'",
      "DATE(placed_at) = CURDATE() AND MOD(id, 10) = 0",
    ]) expect(rowFilterProblem(f), f).toBeNull();
  });

  it("refuses what could read beyond the row, with the reason", () => {
    expect(rowFilterProblem("0) UNION ALL SELECT user, password FROM mysql.user WHERE (1")).toMatch(/UNION|parentheses/);
    expect(rowFilterProblem("id IN (SELECT id FROM other_db.secrets)")).toMatch(/SELECT/);
    expect(rowFilterProblem("EXISTS (SELECT 1)")).toMatch(/EXISTS/);
    expect(rowFilterProblem("LOAD_FILE('/etc/passwd') IS NOT NULL")).toMatch(/LOAD_FILE\(\)/);
    expect(rowFilterProblem("SLEEP (5) = 0")).toMatch(/SLEEP\(\)/);
    expect(rowFilterProblem("other.t.id = 1")).toMatch(/'\.'/);
    expect(rowFilterProblem("@x := 1")).toMatch(/variable/);
    expect(rowFilterProblem("1; DROP TABLE t")).toMatch(/;/);
    expect(rowFilterProblem("id = 1)")).toMatch(/parentheses/);
    expect(rowFilterProblem("(id = 1")).toMatch(/parentheses/);
    for (const f of ["1 -- x", "1 /* x */", "1 # x"]) expect(rowFilterProblem(f), f).toMatch(/comment/);
    expect(rowFilterProblem("  ")).toMatch(/empty/);
  });
});
