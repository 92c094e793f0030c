import { describe, expect, it } from "vitest";
import { DataProblem } from "@/lib/data/data-problem";
import type { ColumnInfo } from "@/lib/data/types";
import { checkRulesAgainstSchema, createMysqlMasker } from "./mysql-masker";
import type { ColumnRule } from "./schemas";

const col = (name: string, dataType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({ name, dataType, generated: false, ...extra });

const users = [col("id", "int"), col("email", "varchar"), col("full_name", "varchar"), col("phone", "varchar", { nullable: false }), col("created_at", "datetime")];
const orders = [col("id", "bigint"), col("customer_email", "varchar"), col("total", "decimal")];

const rules: ColumnRule[] = [
  { table: "users", column: "email", kind: "email" },
  { table: "users", column: "Full_Name", kind: "name" },
  { table: "users", column: "phone", kind: "null" },
  { table: "orders", column: "customer_email", kind: "email" },
  { table: "audit", column: "note", kind: "keep" },
];

describe("createMysqlMasker", () => {
  const factory = createMysqlMasker(rules, "secret");

  it("masks the columns with rules and copies the others", () => {
    const mask = factory("users", users)!;
    const row = [1, "jane@example.com", "Jane Doe", "+33 6 12 34 56 78", "2024-01-02 03:04:05"];
    const out = mask(row);
    expect(out[0]).toBe(1);
    expect(out[1]).toMatch(/^u_[0-9a-f]{16}@example\.com$/);
    expect(String(out[2]).split(" ")).toHaveLength(2);
    expect(out[4]).toBe("2024-01-02 03:04:05");
    expect(row[1]).toBe("jane@example.com"); // the input row is not changed
  });

  it("masks alike across tables and runs, so joins still match", () => {
    const a = factory("users", users)!([1, "Jane@Example.com", null, "x", null]);
    const b = createMysqlMasker(rules, "secret")("orders", orders)!([7, "jane@example.com", "12.50"]);
    expect(b[1]).toBe(a[1]);
    const c = createMysqlMasker(rules, "another secret")("orders", orders)!([7, "jane@example.com", "12.50"]);
    expect(c[1]).not.toBe(a[1]);
  });

  it("writes an empty value for null in a NOT NULL column, and null where null is allowed", () => {
    const mask = createMysqlMasker(
      [
        { table: "t", column: "a", kind: "null" },
        { table: "t", column: "b", kind: "null" },
        { table: "t", column: "c", kind: "null" },
        { table: "t", column: "d", kind: "null" },
      ],
      "secret",
    )("t", [col("a", "varchar", { nullable: false }), col("b", "varchar"), col("c", "int", { nullable: false }), col("d", "date", { nullable: false })])!;
    expect(mask(["x", "y", 5, "1980-02-03"])).toEqual(["", null, 0, "2000-01-01"]);
  });

  it("leaves generated columns out of the row positions", () => {
    const mask = createMysqlMasker([{ table: "t", column: "email", kind: "email" }], "secret")("t", [
      col("id", "int"),
      col("domain", "varchar", { generated: true }),
      col("email", "varchar"),
    ])!;
    const out = mask([1, "a@b.example"]);
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/@b\.example$/);
  });

  it("gives no masker for a table without rules, or with keep rules only", () => {
    expect(factory("products", [col("id", "int")])).toBeNull();
    expect(factory("audit", [col("note", "text")])).toBeNull();
  });

  it("keeps nulls under every kind but null, and masks numbers in integer columns as numbers in range", () => {
    const mask = createMysqlMasker(
      [
        { table: "t", column: "n", kind: "hash-id" },
        { table: "t", column: "s", kind: "fixed", value: "redacted" },
        { table: "t", column: "big", kind: "hash-id" },
      ],
      "secret",
    )("t", [col("n", "tinyint"), col("s", "varchar"), col("big", "bigint")])!;
    expect(mask([null, null, null])).toEqual([null, null, null]);
    const [n, s, big] = mask([120, "secret text", "9223372036854775000"]);
    expect(typeof n).toBe("number");
    expect(n).toBeGreaterThanOrEqual(100);
    expect(n).toBeLessThanOrEqual(127);
    expect(s).toBe("redacted");
    expect(BigInt(big as string)).toBeLessThanOrEqual(9223372036854775807n);
    expect(String(big)).toHaveLength(19);
  });

  it("masks binary columns: UTF-8 text as text, hash-id over the bytes", () => {
    const mask = createMysqlMasker(
      [
        { table: "t", column: "mail", kind: "email" },
        { table: "t", column: "uuid", kind: "hash-id" },
      ],
      "secret",
    )("t", [col("mail", "varbinary"), col("uuid", "binary")])!;
    const uuid = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    const [mail, masked] = mask([Buffer.from("Jane@Example.com"), uuid]) as [Buffer, Buffer];
    expect(mail.toString()).toMatch(/^u_[0-9a-f]{16}@example\.com$/);
    expect(masked).toHaveLength(16);
    expect(masked.equals(uuid)).toBe(false);
  });

  it("refuses, naming the column, a value it cannot mask", () => {
    const mask = createMysqlMasker([{ table: "t", column: "born", kind: "hash-id" }], "secret")("t", [col("born", "varchar")])!;
    expect(() => mask([new Date()])).toThrow(DataProblem);
    expect(() => mask([new Date()])).toThrow(/t\.born: a hash-id rule cannot mask a date value/);
  });
});

describe("checkRulesAgainstSchema", () => {
  it("says which rules name what is not there or cannot apply", () => {
    const problems = checkRulesAgainstSchema(
      [
        { table: "users", column: "email", kind: "email" },
        { table: "users", column: "emial", kind: "email" },
        { table: "ghosts", column: "x", kind: "null" },
        { table: "users", column: "domain", kind: "fixed", value: "x" },
        { table: "users", column: "id", kind: "email" },
        { table: "users", column: "born", kind: "hash-id" },
        { table: "users", column: "age", kind: "fixed", value: "old" },
        { table: "users", column: "role", kind: "null" },
      ],
      [
        {
          table: "users",
          columns: [
            col("id", "int"),
            col("email", "varchar"),
            col("domain", "varchar", { generated: true }),
            col("born", "date"),
            col("age", "int"),
            col("role", "enum", { nullable: false }),
          ],
        },
      ],
    );
    expect(problems).toEqual([
      "users.emial: table users has no column “emial”.",
      "ghosts.x: the source has no table “ghosts”.",
      "users.domain is a generated column: the copy computes it from other columns, so mask those instead.",
      "users.id: an e-mail rule cannot mask an INT column (its values would not fit); use fixed, null or hash-id.",
      "users.born: a hash-id rule cannot mask a DATE column (its values would not fit); use fixed or null.",
      "users.age: the fixed value of an INT column is a whole number, not “old”.",
      "users.role: the column is NOT NULL, and an ENUM column has no empty value to write instead; use a fixed value.",
    ]);
  });
});
