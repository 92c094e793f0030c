import { describe, expect, it } from "vitest";
import { checkCopyDraft, type CopyDraft, copyFieldOf, toCopyInput } from "./copy-data-draft";

const draft = (over: Partial<CopyDraft> = {}): CopyDraft => ({ kind: "mysql", source: "source:src1", tables: "", rowFilters: {}, pattern: "", confirm: "demo", ...over });

describe("toCopyInput", () => {
  it("names a data source or an environment, never both", () => {
    expect(toCopyInput(draft())).toMatchObject({ sourceId: "src1", sourceEnvironmentId: null });
    expect(toCopyInput(draft({ source: "env:e1" }))).toMatchObject({ sourceId: null, sourceEnvironmentId: "e1" });
  });

  it("sends the tables listed and the filters of those tables only", () => {
    const input = toCopyInput(draft({ tables: " users, orders,,users ", rowFilters: { users: " id < 10 ", orders: " ", gone: "x = 1" } }));
    expect(input.tables).toEqual(["users", "orders"]);
    expect(input.rowFilters).toEqual({ users: "id < 10" });
  });

  it("leaves out what belongs to other kinds", () => {
    const input = toCopyInput(draft({ kind: "redis", tables: "users", pattern: "session:*" }));
    expect(input.tables).toBeUndefined();
    expect(input.pattern).toBe("session:*");
  });
});

describe("checkCopyDraft", () => {
  it("asks for a source and for the environment's name", () => {
    const found = checkCopyDraft(draft({ source: "", confirm: "dmeo" }), "demo");
    expect(found.source).toEqual(["Choose what to copy from."]);
    expect(found.confirm?.[0]).toContain("Type demo to confirm");
  });

  it("puts the API's messages about a row filter on that table's field", () => {
    const found = checkCopyDraft(draft({ tables: "users", rowFilters: { users: "1=1; DROP TABLE users" } }), "demo");
    expect(found["rowFilters.users"]?.[0]).toMatch(/one WHERE expression/);
    expect(checkCopyDraft(draft(), "demo")).toEqual({});
  });

  it("maps both API names of the source to the one select", () => {
    expect(copyFieldOf("sourceEnvironmentId")).toBe("source");
    expect(copyFieldOf("rowFilters.users")).toBe("rowFilters.users");
  });
});
