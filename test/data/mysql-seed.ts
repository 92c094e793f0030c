import type mysql from "mysql2/promise";

// A source database with every kind of thing the MySQL copier must carry: foreign keys in a cycle,
// a generated column, a trigger, a view and a view on it, a procedure and a function, JSON, BLOBs,
// utf8mb4 with emoji, NULLs, DECIMAL, DATETIME(6), BIT, a zero date, and a 1 MB row.

export const SEED_SQL = `
SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO';
CREATE TABLE customers (
  id INT PRIMARY KEY AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(200) NULL,
  favourite_order_id INT NULL,
  balance DECIMAL(20,6) NOT NULL DEFAULT 0,
  created DATETIME(6) NOT NULL,
  seen TIMESTAMP NULL,
  flags BIT(10) NULL,
  big BIGINT UNSIGNED NULL,
  ratio DOUBLE NULL,
  born DATE NULL,
  profile JSON NULL,
  name_upper VARCHAR(100) AS (UPPER(name)) VIRTUAL,
  KEY (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE orders (
  id INT PRIMARY KEY AUTO_INCREMENT,
  customer_id INT NOT NULL,
  total DECIMAL(12,2) NOT NULL,
  note TEXT NULL,
  total_cents BIGINT AS (total * 100) STORED,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
ALTER TABLE customers ADD CONSTRAINT fk_customers_favourite FOREIGN KEY (favourite_order_id) REFERENCES orders (id);
CREATE TABLE \`odd \`\`name\` (
  \`the key\` INT PRIMARY KEY,
  payload LONGBLOB NULL,
  raw VARBINARY(16) NULL
) ENGINE=InnoDB;
CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, what VARCHAR(200) NOT NULL) ENGINE=InnoDB;
CREATE TABLE empty_one (id INT PRIMARY KEY) ENGINE=InnoDB;
`;

export const SEED_OBJECTS = [
  `CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (what) VALUES (CONCAT('order ', NEW.id))`,
  `CREATE VIEW big_orders AS SELECT id, customer_id, total FROM orders WHERE total > 100`,
  `CREATE VIEW big_order_customers AS SELECT DISTINCT c.name FROM customers c JOIN big_orders b ON b.customer_id = c.id`,
  `CREATE PROCEDURE add_order(IN c INT, IN t DECIMAL(12,2)) BEGIN INSERT INTO orders (customer_id, total) VALUES (c, t); END`,
  `CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC RETURN x * 2`,
];

export const CUSTOMERS = 300;
export const ORDERS = 900;

export async function seedSource(c: mysql.Connection): Promise<void> {
  await c.query(SEED_SQL);
  for (const sql of SEED_OBJECTS) await c.query(sql);
  await c.query("SET SESSION foreign_key_checks = 0, sql_mode = 'NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00'");
  const customers: unknown[][] = [];
  for (let i = 1; i <= CUSTOMERS; i++) {
    customers.push([
      i,
      i % 7 === 0 ? `Zoë 🐄 ${i} \t tab \\ back 'quote'\n` : `customer ${i}`,
      i % 5 === 0 ? null : `c${i}@example.com`,
      i % 3 === 0 ? i : null,
      `${i}123456789.123456`,
      `2024-03-31 01:${String(i % 60).padStart(2, "0")}:00.${String(i).padStart(6, "0")}`,
      i % 4 === 0 ? null : "2024-10-27 01:30:00",
      i % 2 === 0 ? Buffer.from([i % 4, i % 256]) : null,
      i === 1 ? "18446744073709551615" : String(i * 1_000_000_007),
      i % 6 === 0 ? null : i / 7,
      i === 2 ? "0000-00-00" : "1999-12-31",
      i % 9 === 0 ? null : JSON.stringify({ i, tags: ["a", "ü", "🐄"], nested: { big: 12345678901234567890n.toString() } }),
    ]);
  }
  await c.query("INSERT INTO customers (id, name, email, favourite_order_id, balance, created, seen, flags, big, ratio, born, profile) VALUES ?", [customers]);
  const orders = Array.from({ length: ORDERS }, (_, k) => [k + 1, (k % CUSTOMERS) + 1, ((k * 37) % 500) + 0.25, k % 10 === 0 ? null : `note ${k}`]);
  await c.query("INSERT INTO orders (id, customer_id, total, note) VALUES ?", [orders]);
  // The trigger wrote 900 audit rows above: those are data like any other.
  const mb = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mb.length; i++) mb[i] = (i * 31 + 7) & 255;
  await c.query("INSERT INTO `odd ``name` VALUES (0, ?, ?), (1, ?, NULL), (2, NULL, ?), (3, '', '')", [mb, Buffer.from([0, 9, 10, 13, 92, 255]), Buffer.from("\\N"), Buffer.from([0])]);
  await c.query("SET SESSION foreign_key_checks = 1");
}

/** Every table's rows, fetched and compared in the test itself (not the copier's own verification). */
export async function tableDigest(c: mysql.Connection, table: string, columns = "*", where?: string): Promise<string> {
  const [rows] = await c.query({ sql: `SELECT ${columns} FROM \`${table.replaceAll("`", "``")}\`${where ? ` WHERE ${where}` : ""} ORDER BY 1`, rowsAsArray: true });
  const { createHash } = await import("node:crypto");
  const h = createHash("sha256");
  for (const row of rows as unknown[][]) h.update(JSON.stringify(row.map((v) => (Buffer.isBuffer(v) ? `hex:${v.toString("hex")}` : v))) + "\n");
  return `${(rows as unknown[]).length}:${h.digest("hex")}`;
}
