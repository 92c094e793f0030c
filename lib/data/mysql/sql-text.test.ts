import { describe, expect, it } from "vitest";
import { batchLimits, RowBatch } from "./batches";
import { ChecksumSum, checksumSql, rowChecksumSql } from "./checksum";
import { mysqlErrorKind, describeMysqlError } from "./describe-mysql-error";
import { groupForeignKeys, orphanCountSql } from "./foreign-keys";
import { grantDatabase } from "./stores";
import { quoteIdentifier, quoteString, removeForeignKeys, rowFilterProblem, sqlLiteral, stripDefiner, tsvField } from "./sql-text";

describe("quoting", () => {
  it("makes any name one identifier and any text one literal", () => {
    expect(quoteIdentifier("odd `name")).toBe("`odd ``name`");
    expect(quoteIdentifier("a`; DROP TABLE x; --")).toBe("`a``; DROP TABLE x; --`");
    expect(quoteString("it's \\ \n\0")).toBe("'it\\'s \\\\ \\n\\0'");
    expect(grantDatabase("h1_db%")).toBe("`h1\\_db\\%`");
  });
});

describe("row filters", () => {
  it("refuses ; and comments, accepts one expression", () => {
    expect(rowFilterProblem("id > 5 AND name LIKE 'a%'")).toBeNull();
    expect(rowFilterProblem("1; DROP TABLE t")).toMatch(/;/);
    for (const f of ["1 -- x", "1 # x", "1 /* x */"]) expect(rowFilterProblem(f)).toMatch(/comment/);
    expect(rowFilterProblem("  ")).toMatch(/empty/);
  });
});

describe("stripDefiner", () => {
  it("removes the DEFINER clause and leaves the body alone", () => {
    expect(stripDefiner("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select 1")).toBe("CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1");
    expect(stripDefiner("CREATE DEFINER=`a``b`@`%` TRIGGER t AFTER INSERT ON x FOR EACH ROW SET @definer = 'DEFINER=`x`@`y`'")).toBe("CREATE TRIGGER t AFTER INSERT ON x FOR EACH ROW SET @definer = 'DEFINER=`x`@`y`'");
    expect(stripDefiner("CREATE DEFINER='app'@'10.%' PROCEDURE p() BEGIN END")).toBe("CREATE PROCEDURE p() BEGIN END");
    expect(stripDefiner("CREATE DEFINER=CURRENT_USER FUNCTION f() RETURNS INT RETURN 1")).toBe("CREATE FUNCTION f() RETURNS INT RETURN 1");
    expect(stripDefiner("CREATE FUNCTION f() RETURNS INT RETURN 1")).toBe("CREATE FUNCTION f() RETURNS INT RETURN 1");
  });
});

describe("foreign keys", () => {
  const create = [
    "CREATE TABLE `orders` (",
    "  `id` int(11) NOT NULL,",
    "  `customer_id` int(11) NOT NULL,",
    "  PRIMARY KEY (`id`),",
    "  CONSTRAINT `fk_c` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`),",
    "  CONSTRAINT `fk_self` FOREIGN KEY (`id`) REFERENCES `orders` (`id`)",
    ") ENGINE=InnoDB",
  ].join("\n");

  it("keeps the constraints whose parent is copied, cycles included, and removes the others cleanly", () => {
    expect(removeForeignKeys(create, () => false)).toEqual({ sql: create, removed: [] });
    const { sql, removed } = removeForeignKeys(create, (parent) => parent === "orders");
    expect(removed).toEqual(["CONSTRAINT `fk_self` FOREIGN KEY (`id`) REFERENCES `orders` (`id`)"]);
    expect(sql).toContain("REFERENCES `customers` (`id`)\n) ENGINE");
  });

  it("checks composite keys only where all columns are set", () => {
    const [fk] = groupForeignKeys([
      { name: "fk", t: "child", col: "a", parent: "p", pcol: "x" },
      { name: "fk", t: "child", col: "b", parent: "p", pcol: "y" },
    ]);
    expect(orphanCountSql(fk!)).toBe("SELECT COUNT(*) AS n FROM `child` c WHERE c.`a` IS NOT NULL AND c.`b` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `p` p WHERE p.`x` = c.`a` AND p.`y` = c.`b`)");
  });
});

describe("values", () => {
  it("writes LOAD DATA fields and SQL literals that read back as they were", () => {
    expect(tsvField(null, "text")).toBe("\\N");
    expect(tsvField("\\N", "text")).toBe("\\\\N");
    expect(tsvField("a\tb\nc\\d\0", "text")).toBe("a\\tb\\nc\\\\d\\0");
    expect(tsvField(Buffer.from([0, 255]), "hex")).toBe("00ff");
    expect(tsvField(Buffer.from([1, 2]), "bit")).toBe("258");
    expect(sqlLiteral(Buffer.from([0, 255]), "hex")).toBe("X'00ff'");
    expect(sqlLiteral(Buffer.alloc(0), "hex")).toBe("''");
    expect(sqlLiteral("18446744073709551615", "text")).toBe("'18446744073709551615'");
    expect(sqlLiteral(0.1, "text")).toBe("0.1");
  });
});

describe("batches", () => {
  it("sizes batches by bytes under max_allowed_packet, and sends a big row alone", () => {
    expect(batchLimits(16 << 20)).toEqual({ limit: (16 << 20) - 16384, target: 4 << 20 });
    const small = batchLimits(1 << 20);
    expect(small.target).toBeLessThanOrEqual(small.limit / 2);
    const batch = new RowBatch(small, 100);
    batch.add("(1)", 400_000);
    expect(batch.wouldOverflow(200_000)).toBe(true);
    expect(new RowBatch(small, 100).wouldOverflow(900_000)).toBe(false);
    expect(batch.fits(1_000_000)).toBe(true);
    expect(batch.fits(2 << 20)).toBe(false);
  });
});

describe("checksums and errors", () => {
  it("checksums the same expression on both sides, NULLs told apart from ''", () => {
    expect(checksumSql("t", ["a", "b"], "a > 1")).toBe("SELECT COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS(0x1f, `a`, `b`, CONCAT(ISNULL(`a`), ISNULL(`b`))))), 0) AS crc FROM `t` WHERE (a > 1)");
    expect(checksumSql("t", ["a", "b"])).toContain(`SUM(${rowChecksumSql(["a", "b"])})`);
  });

  it("sums rows' checksums read with the rows as the server sums them, exactly past a double's integers", () => {
    const sum = new ChecksumSum();
    expect(sum.result()).toEqual({ rows: 0, checksum: "0" });
    for (let i = 0; i < 3_000_000; i++) sum.add(4_294_967_295);
    sum.add("7");
    expect(sum.result()).toEqual({ rows: 3_000_001, checksum: (4_294_967_295n * 3_000_000n + 7n).toString() });
  });

  it("classifies errors and never repeats a password", () => {
    expect(mysqlErrorKind({ code: "ER_LOCK_DEADLOCK" })).toBe("unavailable");
    expect(mysqlErrorKind({ code: "ECONNREFUSED" })).toBe("unavailable");
    expect(mysqlErrorKind({ errno: 1927 })).toBe("unavailable");
    expect(mysqlErrorKind({ code: "ER_TABLEACCESS_DENIED_ERROR" })).toBe("refused");
    expect(mysqlErrorKind({ code: "ENOTFOUND" })).toBe("not-found");
    expect(mysqlErrorKind({ code: "ER_NO_SUCH_TABLE" })).toBe("not-found");
    const p = describeMysqlError({ code: "ER_PARSE_ERROR", sqlMessage: "near 'IDENTIFIED BY 'hunter2''" }, "store x");
    expect(p.message).not.toContain("hunter2");
    expect(p.message).toMatch(/^store x: /);
  });
});
