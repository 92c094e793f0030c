import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { eventually } from "../support/eventually";
import { startWorld } from "../support/world";

// Modules that read DATABASE_URL are imported after the world sets it.
let world: Awaited<ReturnType<typeof startWorld>>;
let worker: { stop: () => Promise<void> };
let lib: {
  db: typeof import("@/lib/db/client").db;
  create: typeof import("@/lib/environments/create-environment").createEnvironment;
  changeVersion: typeof import("@/lib/environments/change-version").changeVersion;
  rollback: typeof import("@/lib/environments/rollback-environment").rollbackEnvironment;
  destroy: typeof import("@/lib/environments/destroy-environment").destroyEnvironment;
  retry: typeof import("@/lib/environments/retry-environment").retryEnvironment;
  stopBoss: typeof import("@/lib/jobs/queue").stopBoss;
};
let actor: Actor;

beforeAll(async () => {
  world = await startWorld("lifecycle");
  const [{ db }, { createEnvironment }, { changeVersion }, { rollbackEnvironment }, { destroyEnvironment }, { retryEnvironment }, { startWorker }, { stopBoss }] =
    await Promise.all([
      import("@/lib/db/client"),
      import("@/lib/environments/create-environment"),
      import("@/lib/environments/change-version"),
      import("@/lib/environments/rollback-environment"),
      import("@/lib/environments/destroy-environment"),
      import("@/lib/environments/retry-environment"),
      import("@/lib/jobs/worker"),
      import("@/lib/jobs/queue"),
    ]);
  lib = { db, create: createEnvironment, changeVersion, rollback: rollbackEnvironment, destroy: destroyEnvironment, retry: retryEnvironment, stopBoss };
  const user = await db.user.create({ data: { email: "qa@example.com", name: "QA", role: "qa" } });
  actor = { ...user, via: "session", scopes: null };
  worker = await startWorker();
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await lib?.stopBoss();
  await lib?.db.$disconnect();
  await world?.stop();
});

const status = async (id: string) => (await lib.db.environment.findUniqueOrThrow({ where: { id } })).status;
const untilStatus = (id: string, wanted: string) =>
  eventually(async () => ((await status(id)) === wanted ? true : null), `status ${wanted}`);

async function deploymentImage(ns: string, name: string) {
  const d = await world.apps.readNamespacedDeployment({ namespace: ns, name });
  return d.spec?.template?.spec?.containers?.[0]?.image;
}

describe("an environment's life on the sandbox", () => {
  it("is provisioned to Ready with its namespace, labels and pinned images", async () => {
    const env = await lib.create(actor, { name: "life-1", components: [{ name: "web", image: "nginx:1.27.3", port: 80 }, { name: "api", image: "acme/api:2.0.1" }] });
    expect(env.status).toBe("provisioning");
    await untilStatus(env.id, "ready");

    const ns = await world.core.readNamespace({ name: "life-1" });
    expect(ns.metadata?.labels).toMatchObject({
      "corral.dev/environment": env.id,
      "corral.dev/managed-by": "corral",
      "corral.dev/owner": "qa_example.com",
    });
    expect(await deploymentImage("life-1", "web")).toBe("nginx:1.27.3");
    expect(await deploymentImage("life-1", "api")).toBe("acme/api:2.0.1");
    const svc = await world.core.readNamespacedService({ namespace: "life-1", name: "web" });
    expect(svc.spec?.ports?.[0]?.port).toBe(80);

    const row = await lib.db.environment.findUniqueOrThrow({ where: { id: env.id } });
    expect(row.appliedGeneration).toBe(row.desiredGeneration);
    expect((row.observed as any).components.map((c: any) => [c.name, c.runningImage, c.ready])).toEqual([
      ["api", "acme/api:2.0.1", 1],
      ["web", "nginx:1.27.3", 1],
    ]);
  });

  it("changes a version with a rolling update, rolls it back, and refuses changes while provisioning", async () => {
    const env = await lib.create(actor, { name: "life-2", components: [{ name: "web", image: "nginx:1.27.3" }] });
    await expect(lib.changeVersion(actor, env.id, "web", "nginx:1.27.4")).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/Provisioning/) });
    await untilStatus(env.id, "ready");

    const updating = await lib.changeVersion(actor, env.id, "web", "nginx:1.27.4");
    expect(updating.status).toBe("updating");
    await untilStatus(env.id, "ready");
    expect(await deploymentImage("life-2", "web")).toBe("nginx:1.27.4");
    const pods = await world.core.listNamespacedPod({ namespace: "life-2" });
    expect(pods.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.spec?.containers?.[0]?.image)).toEqual(["nginx:1.27.4"]);

    await lib.rollback(actor, env.id);
    await untilStatus(env.id, "ready");
    expect(await deploymentImage("life-2", "web")).toBe("nginx:1.27.3");
  });

  it("is Degraded with the reason when a component crash-loops or its image cannot be pulled", async () => {
    const crash = await lib.create(actor, { name: "life-3", components: [{ name: "web", image: "nginx:1.27.3" }, { name: "worker", image: "acme/worker:crashloop" }] });
    const pull = await lib.create(actor, { name: "life-4", components: [{ name: "web", image: "nginx:9.9" }] });
    await untilStatus(crash.id, "degraded");
    await untilStatus(pull.id, "degraded");
    expect((await lib.db.environment.findUniqueOrThrow({ where: { id: crash.id } })).statusReason).toMatch(/worker keeps crashing/);
    expect((await lib.db.environment.findUniqueOrThrow({ where: { id: pull.id } })).statusReason).toBe("image nginx:9.9 could not be pulled");

    // Fixing the version brings it back.
    await lib.changeVersion(actor, pull.id, "web", "nginx:1.27.3");
    await untilStatus(pull.id, "ready");
  });

  it("destroys: the namespace goes, the row stays as Destroyed, and the name is free again", async () => {
    const env = await lib.create(actor, { name: "life-5", components: [{ name: "web", image: "nginx:1.27.3" }] });
    await untilStatus(env.id, "ready");
    await lib.destroy(actor, env.id);
    await untilStatus(env.id, "destroyed");
    await expect(world.core.readNamespace({ name: "life-5" })).rejects.toMatchObject({ code: 404 });
    const row = await lib.db.environment.findUniqueOrThrow({ where: { id: env.id }, include: { history: true } });
    expect(row.liveName).toBeNull();
    expect(row.history.map((e) => e.toStatus)).toEqual(expect.arrayContaining(["provisioning", "ready", "destroying", "destroyed"]));
    const again = await lib.create(actor, { name: "life-5", components: [{ name: "web", image: "nginx:1.27.3" }] });
    await untilStatus(again.id, "ready");
  });

  it("never touches a namespace that is not its own: such an environment fails with the reason", async () => {
    await world.core.createNamespace({ body: { metadata: { name: "someone-elses" } } });
    const env = await lib.create(actor, { name: "someone-elses", components: [{ name: "web", image: "nginx:1.27.3" }] });
    await untilStatus(env.id, "failed");
    expect((await lib.db.environment.findUniqueOrThrow({ where: { id: env.id } })).statusReason).toMatch(/not this environment's/);
    const ns = await world.core.readNamespace({ name: "someone-elses" });
    expect(ns.metadata?.labels?.["corral.dev/managed-by"]).toBeUndefined();
    await lib.destroy(actor, env.id);
    await untilStatus(env.id, "destroyed");
    expect((await world.core.readNamespace({ name: "someone-elses" })).status?.phase).not.toBe("Terminating");
  });
});
