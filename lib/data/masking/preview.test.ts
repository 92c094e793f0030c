import { describe, expect, it } from "vitest";
import type { ColumnInfo } from "@/lib/data/types";
import { createMysqlMasker } from "./mysql-masker";
import { previewMasking } from "./preview";
import type { ColumnRule } from "./schemas";

const columns: ColumnInfo[] = [
  { name: "id", dataType: "int", generated: false },
  { name: "email", dataType: "varchar", generated: false },
  { name: "domain", dataType: "varchar", generated: true },
  { name: "token", dataType: "varbinary", generated: false },
  { name: "phone", dataType: "varchar", generated: false },
];
const rules: ColumnRule[] = [
  { table: "users", column: "email", kind: "email" },
  { table: "users", column: "token", kind: "hash-id" },
  { table: "users", column: "phone", kind: "keep" },
  { table: "users", column: "domain", kind: "email" },
];
const rows = [
  [1, "jane@example.com", "example.com", Buffer.from([0xff, 0x01]), "+1 555 0100"],
  [2, "JOHN@example.org", "example.org", Buffer.from("abc"), null],
];

describe("previewMasking", () => {
  it("shows sample rows before and after, as the copy would mask them", () => {
    const preview = previewMasking(rules, "secret", "users", columns, rows);
    expect(preview.columns).toEqual(["id", "email", "domain", "token", "phone"]);
    expect(preview.masked).toEqual(["email", "token"]);
    expect(preview.before[0]).toEqual([1, "jane@example.com", "example.com", "0xff01", "+1 555 0100"]);
    const [first, second] = preview.after;
    expect(first![0]).toBe(1);
    expect(first![2]).toBe("example.com"); // generated: shown as it is
    expect(first![4]).toBe("+1 555 0100"); // keep
    expect(first![3]).toMatch(/^0x[0-9a-f]{4}$/);
    expect(first![3]).not.toBe("0xff01");
    // The same masker as the copy's: the preview promises what the copy writes.
    const copy = createMysqlMasker(rules, "secret")("users", columns)!;
    expect(first![1]).toBe(copy([1, "jane@example.com", Buffer.from([0xff, 0x01]), "+1 555 0100"])[1]);
    expect(second![1]).toMatch(/^u_[0-9a-f]{16}@example\.org$/);
  });

  it("shows the rows unchanged for a table without rules", () => {
    const preview = previewMasking(rules, "secret", "orders", columns, rows);
    expect(preview.masked).toEqual([]);
    expect(preview.after).toEqual(preview.before);
  });
});
