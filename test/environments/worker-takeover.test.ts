import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { killGroup } from "../support/production-server";
import { startWorld } from "../support/world";

// Two worker processes; each cluster's watches run in exactly one of them (the lease holder).
// That one is killed with SIGKILL: the other takes the cluster over within 30 s, and a status
// change seen only through the watches still reaches the change feed browsers listen to.

const ROOT = path.resolve(import.meta.dirname, "../..");
let world: Awaited<ReturnType<typeof startWorld>>;
const workers = new Map<number, ChildProcess>();
let lib: {
  db: typeof import("@/lib/db/client").db;
  subscribe: typeof import("@/lib/environments/change-feed").subscribeEnvironmentChanges;
  create: typeof import("@/lib/environments/create-environment").createEnvironment;
};

beforeAll(async () => {
  world = await startWorld("takeover");
  const [{ db }, { subscribeEnvironmentChanges }, { createEnvironment }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/environments/change-feed"),
    import("@/lib/environments/create-environment"),
  ]);
  lib = { db, subscribe: subscribeEnvironmentChanges, create: createEnvironment };
  for (let i = 0; i < 2; i++) {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: "ignore",
      detached: true,
    });
    workers.set(child.pid!, child);
  }
}, 60_000);

afterAll(async () => {
  for (const child of workers.values()) killGroup(child);
  await lib?.db.$disconnect();
  await world?.stop();
});

/** The worker processes holding a cluster lease now, by the pid in their connection's name. */
async function leaseHolders(): Promise<number[]> {
  const rows = await lib.db.$queryRaw<{ name: string }[]>`
    SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'corral-cluster-leases:%'`;
  return [...new Set(rows.map((r) => Number(r.name.split(":")[1])))];
}

it("moves a cluster's watches to the surviving worker within 30 s of a SIGKILL, and status changes keep reaching the browser", async () => {
  const user = await lib.db.user.create({ data: { email: "takeover@example.com", name: "T", role: "developer" } });
  const env = await lib.create({ ...user, via: "session", scopes: null }, { name: "takeover-1", components: [{ name: "web", image: "nginx:1.27.3" }] });
  await eventually(async () => (await lib.db.environment.findUniqueOrThrow({ where: { id: env.id } })).status === "ready", "ready", 30_000);

  // Exactly one of the two watches the cluster.
  const [holder] = await eventually(async () => {
    const h = await leaseHolders();
    return h.length === 1 ? h : null;
  }, "one lease holder");
  expect(workers.has(holder!)).toBe(true);

  killGroup(workers.get(holder!)!);
  const killedAt = Date.now();
  const [successor] = await eventually(async () => {
    const h = await leaseHolders();
    return h.length === 1 && h[0] !== holder ? h : null;
  }, "the other worker to take the lease", 30_000);
  expect(workers.has(successor!)).toBe(true);
  const tookMs = Date.now() - killedAt;

  // A change only the watches can see: the component's image made unpullable behind Corral's back.
  const heard: string[] = [];
  const off = lib.subscribe((change) => {
    if (change.id === env.id) heard.push(change.status);
  });
  await world.apps.patchNamespacedDeployment(
    { namespace: "takeover-1", name: "web", body: [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: "nginx:9.9" }] },
  );
  await eventually(async () => heard.includes("degraded"), "the degraded status on the change feed", 30_000);
  off();
  console.log(`lease taken over ${tookMs} ms after the SIGKILL`);
}, 120_000);
