import { KubeConfig, NetworkingV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { eventually } from "../support/eventually";
import { startWorkerWorld } from "../support/world";

// What Corral applied and no longer wants is deleted, found by its labels: a removed
// component's Deployment and Service, a component made private's Ingress. What is not
// Corral's stays, whatever its name.

let world: Awaited<ReturnType<typeof startWorkerWorld>>;
let actor: Actor;
let lib: {
  db: typeof import("@/lib/db/client").db;
  create: typeof import("@/lib/environments/create-environment").createEnvironment;
  change: typeof import("@/lib/environments/change-environment").changeEnvironment;
};

beforeAll(async () => {
  world = await startWorkerWorld("pruning");
  actor = world.actor;
  const [{ createEnvironment }, { changeEnvironment }] = await Promise.all([import("@/lib/environments/create-environment"), import("@/lib/environments/change-environment")]);
  lib = { db: world.db, create: createEnvironment, change: changeEnvironment };
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

const names = async (ns: string) => ({
  deployments: (await world.apps.listNamespacedDeployment({ namespace: ns })).items.map((d) => d.metadata!.name!).sort(),
  services: (await world.core.listNamespacedService({ namespace: ns })).items.map((s) => s.metadata!.name!).sort(),
  ingresses: await ingressNames(ns),
});

async function ingressNames(ns: string) {
  const kc = new KubeConfig();
  kc.loadFromString(world.sandbox.kubeconfig);
  const list = await kc.makeApiClient(NetworkingV1Api).listNamespacedIngress({ namespace: ns });
  return list.items.map((i) => i.metadata!.name!).sort();
}

describe("pruning", () => {
  it("deletes a removed component's Deployment and Service and a privatised component's Ingress, and leaves what is not Corral's", async () => {
    const env = await lib.create(actor, {
      name: "prune-1",
      components: [
        { name: "web", image: "nginx:1.27.3", port: 80 },
        { name: "api", image: "acme/api:2.0.1", port: 8080 },
      ],
    });
    // Public components come from templates; this one is made public in its desired state.
    await lib.db.component.updateMany({ where: { environmentId: env.id, name: "web" }, data: { public: true } });
    await eventually(async () => (await lib.db.environment.findUniqueOrThrow({ where: { id: env.id } })).status === "ready", "ready");
    await lib.change(actor, env.id, "update", async () => ({ message: "web made public" }));
    await eventually(async () => (await ingressNames("prune-1")).includes("web"), "web's ingress");
    expect(await names("prune-1")).toEqual({ deployments: ["api", "web"], services: ["api", "web"], ingresses: ["web"] });
    // Someone else's Service in the namespace, without Corral's labels.
    await world.core.createNamespacedService({ namespace: "prune-1", body: { metadata: { name: "theirs" }, spec: { ports: [{ port: 1 }] } } });

    // The desired state loses api and makes web private.
    await lib.change(actor, env.id, "update", async (tx, e) => {
      await tx.component.deleteMany({ where: { environmentId: e.id, name: "api" } });
      await tx.component.updateMany({ where: { environmentId: e.id, name: "web" }, data: { public: false } });
      return { message: "api removed, web made private" };
    });
    await eventually(async () => {
      const now = await names("prune-1");
      return now.deployments.join() === "web" && now.ingresses.length === 0 && now.services.join() === "theirs,web" ? now : null;
    }, "api's objects and web's ingress pruned");
    // Recorded once the deletes are done: wait for it, the objects may be gone a moment before.
    const pruned = /Removed what is no longer wanted: .*Deployment\/api.*Service\/api.*Ingress\/web|Removed what is no longer wanted: .*Deployment\/api/;
    const history = await eventually(async () => {
      const rows = await lib.db.historyEntry.findMany({ where: { environmentId: env.id } });
      return rows.some((h) => pruned.test(h.message)) ? rows : null;
    }, "the pruning in the history");
    expect(history.map((h) => h.message)).toContainEqual(expect.stringMatching(pruned));
  });
});
