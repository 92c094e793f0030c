import { describe, expect, it } from "vitest";
import { pickerChoices, rulesForTable, stillUnruled, suggestedRule } from "./masking-inspection";

const phone = { table: "users", column: "phone", why: "looks like a phone number" };
const email = { table: "users", column: "Email", why: "looks like an e-mail address" };

describe("stillUnruled", () => {
  it("drops a flagged column once a row of the draft names it, whatever the column's case", () => {
    expect(stillUnruled([phone, email], [{ table: "users", column: "email " }])).toEqual([phone]);
    expect(stillUnruled([phone], [{ table: "Users", column: "phone" }])).toEqual([phone]);
  });
});

describe("suggestedRule", () => {
  it("guesses the kind from why the column was flagged", () => {
    expect(suggestedRule(email)).toEqual({ table: "users", column: "Email", kind: "email", value: "" });
    expect(suggestedRule({ table: "users", column: "surname", why: "looks like a person's name" }).kind).toBe("name");
    expect(suggestedRule(phone).kind).toBe("hash-id");
  });
});

describe("pickerChoices", () => {
  it("keeps a value the source no longer has, marked, before what it has", () => {
    expect(pickerChoices(["a", "b"], "gone")).toEqual([
      { value: "gone", missing: true },
      { value: "a", missing: false },
      { value: "b", missing: false },
    ]);
    expect(pickerChoices(["a"], "a")).toEqual([{ value: "a", missing: false }]);
    expect(pickerChoices(["a"], "")).toEqual([{ value: "a", missing: false }]);
  });
});

describe("rulesForTable", () => {
  it("sends only the rows of that table with a column named", () => {
    const rows = [
      { table: "users", column: "email" },
      { table: "orders", column: "note" },
      { table: "users ", column: " " },
    ];
    expect(rulesForTable(rows, "users")).toEqual([{ table: "users", column: "email" }]);
  });
});
