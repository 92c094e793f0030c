import "server-only";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { S3_RETRY } from "@/lib/aws-retry";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";

// The quick start's example production data: a small shop database, a Redis cache and a few
// S3 objects, made on the machine's own MariaDB and Redis and the sandbox's S3, so that a
// newcomer can try a masked copy without an admin. Idempotent: made only where missing.

export const EXAMPLE_MYSQL_DATABASE = "corral_example_shop";
export const EXAMPLE_REDIS_PREFIX = "shop:";
export const EXAMPLE_S3 = { bucket: "corral-backups", prefix: "shop/" };

export const EXAMPLE_MASKING = {
  columns: [
    { table: "customers", column: "email", kind: "email" },
    { table: "customers", column: "full_name", kind: "name" },
    { table: "customers", column: "phone", kind: "hash-id" },
    { table: "orders", column: "customer_email", kind: "email" },
  ],
  redis: [{ keyPattern: "shop:session:*", hashField: "email", kind: "email" }],
};

const FIRST = ["Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Alan", "Radia"];
const LAST = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Turing", "Perlman"];

export async function seedExampleMysql(admin: { host: string; port: number; user: string; password: string }): Promise<boolean> {
  const c = await mysql.createConnection({ ...admin, multipleStatements: true, charset: "utf8mb4" });
  try {
    const [exists] = await c.query<mysql.RowDataPacket[]>("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [EXAMPLE_MYSQL_DATABASE]);
    if (exists.length > 0) return false;
    await c.query(`CREATE DATABASE \`${EXAMPLE_MYSQL_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await c.query(`USE \`${EXAMPLE_MYSQL_DATABASE}\``);
    await c.query(`
      CREATE TABLE customers (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(200) NOT NULL, full_name VARCHAR(200) NOT NULL, phone VARCHAR(40), created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, KEY (email));
      CREATE TABLE products (id INT PRIMARY KEY AUTO_INCREMENT, sku VARCHAR(40) NOT NULL UNIQUE, title VARCHAR(200) NOT NULL, price DECIMAL(10,2) NOT NULL, attributes JSON);
      CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL, customer_email VARCHAR(200) NOT NULL, total DECIMAL(10,2) NOT NULL, placed_at DATETIME NOT NULL, FOREIGN KEY (customer_id) REFERENCES customers(id));
      CREATE TABLE order_lines (order_id INT NOT NULL, product_id INT NOT NULL, quantity INT NOT NULL, line_total DECIMAL(10,2) AS (quantity * 1.00) STORED, PRIMARY KEY (order_id, product_id), FOREIGN KEY (order_id) REFERENCES orders(id), FOREIGN KEY (product_id) REFERENCES products(id));
      CREATE VIEW order_totals AS SELECT customer_id, COUNT(*) AS orders, SUM(total) AS spent FROM orders GROUP BY customer_id;
    `);
    const customers = Array.from({ length: 200 }, (_, i) => {
      const first = FIRST[i % FIRST.length]!;
      const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
      return [`${first}.${last}${i}@example.com`.toLowerCase(), `${first} ${last}`, `+44 20 7946 ${String(1000 + i).padStart(4, "0")}`];
    });
    await c.query("INSERT INTO customers (email, full_name, phone) VALUES ?", [customers]);
    const products = Array.from({ length: 50 }, (_, i) => [`SKU-${1000 + i}`, `Product ${i + 1}`, (5 + (i % 20) * 2.5).toFixed(2), JSON.stringify({ colour: ["red", "blue", "green"][i % 3], sizes: ["S", "M", "L"] })]);
    await c.query("INSERT INTO products (sku, title, price, attributes) VALUES ?", [products]);
    const orders = Array.from({ length: 1_000 }, (_, i) => [1 + (i % 200), customers[i % 200]![0], (10 + (i % 90)).toFixed(2), new Date(Date.UTC(2026, 0, 1) + i * 3_600_000)]);
    await c.query("INSERT INTO orders (customer_id, customer_email, total, placed_at) VALUES ?", [orders]);
    const lines = Array.from({ length: 1_000 }, (_, i) => [i + 1, 1 + (i % 50), 1 + (i % 3)]);
    await c.query("INSERT INTO order_lines (order_id, product_id, quantity) VALUES ?", [lines]);
    return true;
  } finally {
    await c.end();
  }
}

export async function seedExampleRedis(admin: { host: string; port: number; db: number }): Promise<boolean> {
  const r = new Redis({ host: admin.host, port: admin.port, db: admin.db, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    if ((await r.exists(`${EXAMPLE_REDIS_PREFIX}seeded`)) === 1) return false;
    const p = r.pipeline();
    for (let i = 0; i < 200; i++) {
      p.hset(`${EXAMPLE_REDIS_PREFIX}session:${i}`, { email: `customer${i}@example.com`, cart: String(i % 7), locale: "en-GB" });
      p.expire(`${EXAMPLE_REDIS_PREFIX}session:${i}`, 7 * 24 * 3_600);
      p.set(`${EXAMPLE_REDIS_PREFIX}product:${i % 50}:views`, String(i * 3));
    }
    p.zadd(`${EXAMPLE_REDIS_PREFIX}bestsellers`, 10, "SKU-1000", 8, "SKU-1001", 5, "SKU-1002");
    p.rpush(`${EXAMPLE_REDIS_PREFIX}queue:emails`, "welcome:1", "welcome:2");
    p.sadd(`${EXAMPLE_REDIS_PREFIX}tags`, "new", "sale", "gift");
    p.xadd(`${EXAMPLE_REDIS_PREFIX}events`, "*", "type", "order", "id", "1");
    p.set(`${EXAMPLE_REDIS_PREFIX}seeded`, new Date().toISOString());
    await p.exec();
    return true;
  } finally {
    r.disconnect();
  }
}

export async function seedExampleS3(location: { endpoint?: string; region: string; accessKeyId: string; secretAccessKey: string }): Promise<boolean> {
  const s3 = new S3Client({ endpoint: location.endpoint, region: location.region, forcePathStyle: Boolean(location.endpoint), credentials: { accessKeyId: location.accessKeyId, secretAccessKey: location.secretAccessKey }, ...S3_RETRY });
  try {
    const files: [string, string, string][] = [
      ["catalogue/products.json", JSON.stringify({ products: 50 }), "application/json"],
      ["images/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "image/svg+xml"],
      ["exports/orders 2026-01.csv", "id,total\n1,10.00\n", "text/csv"],
    ];
    for (const [key, body, contentType] of files) {
      await s3.send(new PutObjectCommand({ Bucket: EXAMPLE_S3.bucket, Key: `${EXAMPLE_S3.prefix}${key}`, Body: body, ContentType: contentType, Metadata: { origin: "corral-example" } }));
    }
    return true;
  } finally {
    s3.destroy();
  }
}
