import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig, makeInformer } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { startWorld } from "../support/world";
import { freePort } from "../support/free-port";
import { killGroup, spawnServer } from "../support/production-server";

// Crash test: 20 creates in flight, the web server and the worker killed with SIGKILL midway,
// both started again. Every environment that was recorded must converge to Ready, no
// namespace may exist without its environment, and none may be created twice.

const ROOT = path.resolve(import.meta.dirname, "../..");
let world: Awaited<ReturnType<typeof startWorld>>;
let env: NodeJS.ProcessEnv;
let port: number;
let token: string;
const running = new Set<ChildProcess>();
const namespaceAdds = new Map<string, number>();
let stopWatch: (() => void) | undefined;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("The crash test runs the production build: run `npm run build` first (npm test does).");
  world = await startWorld("crash", { timings: { podReadyDelayMs: 300, namespaceTerminationDelayMs: 300 } });
  port = await freePort();
  env = {
    ...process.env,
    NODE_ENV: "production",
    CORRAL_WORKER: "off",
    CORRAL_BASE_URL: `http://127.0.0.1:${port}`,
    CORRAL_LOCAL_SIGNIN: "true",
    CORRAL_LOCAL_SIGNIN_FORCE: "true",
    LOG_LEVEL: "warn",
  };
  const { db } = await import("@/lib/db/client");
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const user = await db.user.create({ data: { email: "pipeline@example.com", name: "Pipeline", role: "developer" } });
  token = (await createApiToken({ ...user, via: "session", scopes: null }, { name: "crash", scopes: ["environments:create", "environments:read"], expiresInDays: 1 })).token;

  // Count every namespace the cluster ever adds, from before the first create. An informer,
  // not one watch request: the server ends each watch after a while, and this must not miss any.
  const kc = new KubeConfig();
  kc.loadFromString(world.sandbox.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const selector = "corral.dev/managed-by=corral";
  const informer = makeInformer(kc, "/api/v1/namespaces", () => core.listNamespace({ labelSelector: selector }), selector);
  informer.on("add", (ns) => namespaceAdds.set(ns.metadata!.name!, (namespaceAdds.get(ns.metadata!.name!) ?? 0) + 1));
  await informer.start();
  stopWatch = () => void informer.stop();
}, 60_000);

afterAll(async () => {
  stopWatch?.();
  for (const p of running) killGroup(p);
  const { db } = await import("@/lib/db/client");
  await db.$disconnect();
  await world?.stop();
});

it("converges after the web server and the worker are killed mid-way", async () => {
  let app = startApp();
  let worker = startWorker();
  await waitForApp();

  const names = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
  let accepted = 0;
  const results = names.map((name, i) =>
    new Promise((resolve) => setTimeout(resolve, i * 15)).then(() =>
      fetch(`http://127.0.0.1:${port}/api/v1/environments`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name, components: [{ name: "web", image: "nginx:1.27.3" }, { name: "api", image: "acme/api:2.0.1" }] }),
      }).then(
        (r) => {
          if (r.status === 202) accepted++;
          return r.status;
        },
        () => "connection lost",
      ),
    ),
  );
  // Mid-way: requests still arriving, and the worker already part-way through provisioning.
  await eventually(async () => accepted >= 6 && namespaceAdds.size >= 2, "creates accepted and provisioning begun");
  killGroup(app);
  killGroup(worker);
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/healthz`).catch(() => null)) === null, "the web server to be gone");
  const outcomes = await Promise.all(results);
  expect(outcomes.filter((o) => o === 202).length).toBeGreaterThanOrEqual(6);

  const { db } = await import("@/lib/db/client");
  const rows = await db.environment.findMany({ select: { id: true, name: true } });
  // The kill really interrupted work: something recorded was not Ready yet.
  const unfinished = await db.environment.count({ where: { status: { not: "ready" } } });
  expect(unfinished).toBeGreaterThan(0);
  // Every create that was answered 202 was recorded; the rest either were or left no trace.
  expect(rows.length).toBeGreaterThanOrEqual(outcomes.filter((o) => o === 202).length);
  app = startApp();
  worker = startWorker();
  await waitForApp();
  await eventually(
    async () => (await db.environment.count({ where: { status: { not: "ready" } } })) === 0,
    "every recorded environment to be Ready",
    90_000,
  );

  const namespaces = (await world.core.listNamespace({ labelSelector: "corral.dev/managed-by=corral" })).items.map((n) => n.metadata?.name).sort();
  expect(namespaces).toEqual(rows.map((r) => r.name).sort());
  for (const name of namespaces) expect(namespaceAdds.get(name!), `${name} added once`).toBe(1);
  const { items } = await world.apps.listDeploymentForAllNamespaces({ labelSelector: "corral.dev/managed-by=corral" });
  expect(items).toHaveLength(rows.length * 2);
}, 180_000);

// The web server as `npm start` runs it, in a process group of its own.
function startApp() {
  return track(spawnServer(port, env));
}

function startWorker() {
  return track(spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], { cwd: ROOT, env, stdio: "ignore", detached: true }));
}

function track(child: ChildProcess) {
  running.add(child);
  child.on("exit", () => running.delete(child));
  return child;
}


async function waitForApp() {
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/readyz`).catch(() => null))?.ok, "the web server", 60_000);
}
