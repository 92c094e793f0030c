import { describe, expect, it } from "vitest";
import { checkCopyDraft, type CopyDraft, copyFieldOf, notReadyToCopyFrom, protectedCopyWords, protectedSourceHint, toCopyInput, toggleTable } from "./copy-data-draft";

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
    expect(found["rowFilters.users"]?.[0]).toMatch(/This row filter is refused: .*one expression only/);
    expect(checkCopyDraft(draft(), "demo")).toEqual({});
  });

  it("maps both API names of the source to the one select", () => {
    expect(copyFieldOf("sourceEnvironmentId")).toBe("source");
    expect(copyFieldOf("rowFilters.users")).toBe("rowFilters.users");
  });
});

describe("toggleTable", () => {
  it("adds a table at the end and takes one out, keeping the rest as typed", () => {
    expect(toggleTable("", "users", true)).toBe("users");
    expect(toggleTable("users, orders", "items", true)).toBe("users, orders, items");
    expect(toggleTable("users,orders, users", "users", false)).toBe("orders");
    expect(toggleTable("users", "users", true)).toBe("users");
  });
});

describe("protected sources", () => {
  it("never says an S3 copy is masked", () => {
    expect(protectedCopyWords("s3")).toBe("copied as they are (S3 objects are not masked)");
    expect(protectedSourceHint({ name: "prod-files", kind: "s3" })).not.toMatch(/masked with/);
    expect(protectedSourceHint({ name: "prod-files", kind: "s3" })).toContain("copied as they are (S3 objects are not masked)");
    expect(protectedSourceHint({ name: "prod-db", kind: "mysql" })).toBe("prod-db is protected (production): the copy is masked with its rules.");
  });
});

describe("notReadyToCopyFrom", () => {
  it("is quiet when the environment's store of the kind is ready", () => {
    expect(notReadyToCopyFrom([{ kind: "mysql", status: "ready" }], "mysql", "qa-1")).toBeNull();
  });
  it("says when there is none of the kind, or it is not ready", () => {
    expect(notReadyToCopyFrom([{ kind: "mysql", status: "ready" }], "redis", "qa-1")).toBe("qa-1 has no Redis store to copy from.");
    expect(notReadyToCopyFrom([{ kind: "mysql", status: "provisioning" }], "mysql", "qa-1")).toContain("still being made");
  });
});
