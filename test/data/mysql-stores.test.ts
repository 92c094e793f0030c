import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDataProblem } from "@/lib/data/data-problem";
import { createMysqlStore, dropMysqlStore, testMysqlConnection } from "@/lib/data/mysql/stores";
import { adminConnection, dropMysqlDatabase, ensureLocalMariadb, freshMysqlDatabase, mysqlAdmin } from "../support/mariadb";
import { freePort } from "../support/free-port";

// Store provisioning and connection tests against the machine's MariaDB.

const OTHER = "h1_stores_other";
const STORE = { database: "h1_stores_db", user: "h1_stores_u" };

beforeAll(async () => {
  await ensureLocalMariadb();
  await freshMysqlDatabase(OTHER);
});

afterAll(async () => {
  await dropMysqlStore(mysqlAdmin(), STORE);
  await dropMysqlDatabase(OTHER);
  const c = await adminConnection();
  await c.query("DROP USER IF EXISTS 'h1_stores_nogrant'@'%'");
  await c.end();
});

describe("createMysqlStore / dropMysqlStore", () => {
  it("is idempotent, resets the password on a rerun, and the store user sees only its database", async () => {
    await createMysqlStore(mysqlAdmin(), { ...STORE, password: "first" });
    const store = await createMysqlStore(mysqlAdmin(), { ...STORE, password: "second" });
    await expect(testMysqlConnection({ ...store, password: "first" }, { needWrite: false })).rejects.toThrow(/access denied/);
    const c = await mysql.createConnection({ host: store.host, port: store.port, user: store.user, password: store.password, database: store.database });
    try {
      await c.query("CREATE TABLE t (id INT)");
      const [dbs] = await c.query("SHOW DATABASES");
      expect((dbs as { Database: string }[]).map((d) => d.Database).sort()).toEqual(["h1_stores_db", "information_schema"]);
      await expect(c.query(`CREATE TABLE ${OTHER}.x (id INT)`)).rejects.toThrow(/denied/);
    } finally {
      await c.end();
    }
    await dropMysqlStore(mysqlAdmin(), STORE);
    await dropMysqlStore(mysqlAdmin(), STORE);
    await expect(testMysqlConnection(store, { needWrite: false })).rejects.toThrow(/access denied/);
  });
});

describe("testMysqlConnection", () => {
  it("answers the version and table count, and says in plain words why it cannot", async () => {
    expect(await testMysqlConnection(mysqlAdmin(OTHER), { needWrite: true })).toMatchObject({ version: expect.stringMatching(/MariaDB/), tables: 0 });

    const port = await freePort();
    const down = await testMysqlConnection({ ...mysqlAdmin(OTHER), port }, { needWrite: false }).catch((e: unknown) => e);
    expect(isDataProblem(down, "unavailable")).toBe(true);
    expect((down as Error).message).toMatch(/cannot reach 127.0.0.1:\d+: nothing accepts connections/);

    const host = await testMysqlConnection({ ...mysqlAdmin(OTHER), host: "no-such-host.invalid" }, { needWrite: false }).catch((e: unknown) => e);
    expect((host as Error).message).toMatch(/host name does not resolve/);

    const bad = await testMysqlConnection({ ...mysqlAdmin(OTHER), user: "h1_nobody", password: "wrong-secret" }, { needWrite: false }).catch((e: unknown) => e);
    expect(isDataProblem(bad, "refused")).toBe(true);
    expect((bad as Error).message).toMatch(/access denied for user h1_nobody/);
    expect((bad as Error).message).not.toContain("wrong-secret");

    const missing = await testMysqlConnection(mysqlAdmin("h1_no_such_db"), { needWrite: false }).catch((e: unknown) => e);
    expect(isDataProblem(missing, "not-found")).toBe(true);
    expect((missing as Error).message).toMatch(/database h1_no_such_db does not exist/);

    const admin = await adminConnection();
    await admin.query("DROP USER IF EXISTS 'h1_stores_nogrant'@'%'");
    await admin.query("CREATE USER 'h1_stores_nogrant'@'%' IDENTIFIED BY 'pw'");
    await admin.end();
    const noGrant = { ...mysqlAdmin(OTHER), user: "h1_stores_nogrant", password: "pw" };
    const read = await testMysqlConnection(noGrant, { needWrite: false }).catch((e: unknown) => e);
    expect(isDataProblem(read, "refused")).toBe(true);
    expect((read as Error).message).toMatch(/may not use database h1_stores_other/);
    const write = await testMysqlConnection({ ...noGrant, database: "" }, { needWrite: true }).catch((e: unknown) => e);
    expect((write as Error).message).toMatch(/may not create stores .* lacks CREATE, CREATE USER, GRANT OPTION/);
  });
});
