import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute } from "../support/call-route";
import { eventually } from "../support/eventually";
import { startWorkerWorld } from "../support/world";

// Hands-on basics on a real (sandbox) cluster through the route handlers: restart, replicas,
// env vars, hand-over and a destroy with its reason; each audited, each only for those who
// may change the environment.

let world: Awaited<ReturnType<typeof startWorkerWorld>>;
let routes: {
  create: typeof import("@/app/api/v1/environments/route").POST;
  one: typeof import("@/app/api/v1/environments/[id]/route");
  restart: typeof import("@/app/api/v1/environments/[id]/components/[component]/restart/route").POST;
  replicas: typeof import("@/app/api/v1/environments/[id]/components/[component]/replicas/route").PUT;
  env: typeof import("@/app/api/v1/environments/[id]/components/[component]/env/route").GET;
  owner: typeof import("@/app/api/v1/environments/[id]/owner/route").PUT;
  users: typeof import("@/app/api/v1/users/route").GET;
};
let signedIn: typeof import("../support/sign-in").signedIn;
let owner: Awaited<ReturnType<typeof signedIn>>;
let other: Awaited<ReturnType<typeof signedIn>>;
let lead: Awaited<ReturnType<typeof signedIn>>;
let envId: string;
const NS = "hands-on";

beforeAll(async () => {
  world = await startWorkerWorld("handson");
  const mods = await Promise.all([
    import("@/app/api/v1/environments/route"),
    import("@/app/api/v1/environments/[id]/route"),
    import("@/app/api/v1/environments/[id]/components/[component]/restart/route"),
    import("@/app/api/v1/environments/[id]/components/[component]/replicas/route"),
    import("@/app/api/v1/environments/[id]/components/[component]/env/route"),
    import("@/app/api/v1/environments/[id]/owner/route"),
    import("@/app/api/v1/users/route"),
    import("../support/sign-in"),
  ]);
  routes = { create: mods[0].POST, one: mods[1], restart: mods[2].POST, replicas: mods[3].PUT, env: mods[4].GET, owner: mods[5].PUT, users: mods[6].GET };
  signedIn = mods[7].signedIn;
  [owner, other, lead] = await Promise.all([signedIn("developer", "owner-dev"), signedIn("qa", "other-qa"), signedIn("lead", "a-lead")]);
  const created = await callRoute(routes.create, {
    method: "POST",
    body: { name: NS, components: [{ name: "web", image: "acme/web:1.0.0", port: 8080 }] },
    headers: owner.headers,
  });
  expect(created.status).toBe(202);
  envId = created.body.id;
  await untilStatus("ready");
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

const params = (component = "web") => ({ id: envId, component });
const untilStatus = (wanted: string) =>
  eventually(async () => ((await world.db.environment.findUniqueOrThrow({ where: { id: envId } })).status === wanted ? true : null), `status ${wanted}`);
const podsOf = async () =>
  (await world.core.listNamespacedPod({ namespace: NS, labelSelector: "corral.dev/component=web" })).items.filter((p) => !p.metadata?.deletionTimestamp);
const readyPods = async () => (await podsOf()).filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
const audited = (action: string) => world.db.auditEvent.findMany({ where: { action, targetId: envId }, orderBy: { createdAt: "asc" } });

describe("hands-on basics", () => {
  it("restarts a component: every pod is replaced, the restart is desired state, audited and in the history", async () => {
    const before = (await readyPods()).map((p) => p.metadata!.name);
    expect(before).toHaveLength(1);
    const refused = await callRoute(routes.restart, { method: "POST", params: params(), headers: other.headers });
    expect([refused.status, refused.body.error.message]).toEqual([403, "Only the owner or a lead may change this environment."]);

    const res = await callRoute(routes.restart, { method: "POST", params: params(), headers: owner.headers });
    expect(res.status).toBe(202);
    await eventually(async () => {
      const ready = (await readyPods()).map((p) => p.metadata!.name);
      return ready.length === 1 && !before.includes(ready[0]!) && (await podsOf()).length === 1 ? ready : null;
    }, "the old pod replaced by a ready new one");
    const d = await world.apps.readNamespacedDeployment({ namespace: NS, name: "web" });
    expect(d.spec?.template.metadata?.annotations?.["corral.dev/restarted-at"]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await audited("environment.restart-component")).map((a) => [a.actorId, a.outcome])).toEqual([
      [other.user.id, "forbidden"],
      [owner.user.id, "ok"],
    ]);
    const history = await world.db.historyEntry.findMany({ where: { environmentId: envId }, select: { message: true } });
    expect(history.map((h) => h.message)).toContain(`web restarted (by ${owner.user.email})`);
    await untilStatus("ready");
  });

  it("changes replicas in the cluster; a bad number changes nothing and names the field", async () => {
    const bad = await callRoute(routes.replicas, { method: "PUT", params: params(), body: { replicas: 21 }, headers: owner.headers });
    expect([bad.status, bad.body.error.details.replicas]).toEqual([400, ["Replicas is a whole number from 0 to 20."]]);
    const res = await callRoute(routes.replicas, { method: "PUT", params: params(), body: { replicas: 3 }, headers: owner.headers });
    expect(res.status).toBe(202);
    await eventually(async () => ((await readyPods()).length === 3 ? true : null), "three ready pods");
    expect((await world.apps.readNamespacedDeployment({ namespace: NS, name: "web" })).spec?.replicas).toBe(3);
    const missing = await callRoute(routes.replicas, { method: "PUT", params: params("nope"), body: { replicas: 1 }, headers: owner.headers });
    expect(missing.status).toBe(404);
    await untilStatus("ready");
  });

  it("shows a component's env vars to those who may change it, with the Secret's values hidden, and audits the read", async () => {
    const refused = await callRoute(routes.env, { params: params(), headers: other.headers });
    expect(refused.status).toBe(403);
    const res = await callRoute(routes.env, { params: params(), headers: lead.headers });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.items.map((v: { name: string }) => [v.name, v]));
    expect(byName.CORRAL_ENVIRONMENT).toEqual({ name: "CORRAL_ENVIRONMENT", value: null, from: "Secret corral-data", hidden: true });
    expect(JSON.stringify(res.body)).not.toContain(`"${NS}:"`); // REDIS_KEY_PREFIX's value stays in the Secret
    expect((await audited("environment.read-env")).map((a) => [a.actorId, a.outcome])).toEqual([
      [other.user.id, "forbidden"],
      [lead.user.id, "ok"],
    ]);
  });

  it("hands the environment over: the new owner may destroy it, the former may not", async () => {
    const people = await callRoute(routes.users, { path: "/api/v1/users?q=other", headers: owner.headers });
    expect(people.body.items.map((u: { email: string }) => u.email)).toEqual([other.user.email]);
    const unknown = await callRoute(routes.owner, { method: "PUT", params: { id: envId }, body: { owner: "nobody@example.com" }, headers: owner.headers });
    expect([unknown.status, unknown.body.error.details.owner]).toEqual([400, ["Nobody with the e-mail “nobody@example.com” has signed in to Corral yet; they must sign in once first."]]);
    const stolen = await callRoute(routes.owner, { method: "PUT", params: { id: envId }, body: { owner: other.user.email }, headers: other.headers });
    expect(stolen.status).toBe(403);

    const res = await callRoute(routes.owner, { method: "PUT", params: { id: envId }, body: { owner: other.user.email.toUpperCase() }, headers: owner.headers });
    expect([res.status, res.body.owner.email]).toEqual([200, other.user.email]);
    const formerView = await callRoute(routes.one.GET, { params: { id: envId }, headers: owner.headers });
    expect(formerView.body.actions.find((a: { action: string }) => a.action === "destroy")).toMatchObject({ allowed: false, reason: "Only the owner or a lead may destroy this environment." });
    expect((await audited("environment.hand-over")).map((a) => a.outcome)).toEqual(["invalid_input", "forbidden", "ok"]);
    // The owner label of what Corral applied follows.
    await eventually(async () => ((await world.core.readNamespace({ name: NS })).metadata?.labels?.["corral.dev/owner"] === other.user.email.replace("@", "_") ? true : null), "owner label");

    const former = await callRoute(routes.one.DELETE, { method: "DELETE", params: { id: envId }, headers: owner.headers });
    expect(former.status).toBe(403);
    const res2 = await callRoute(routes.one.DELETE, { method: "DELETE", path: `/api/v1/environments/${envId}?reason=done%20testing`, params: { id: envId }, headers: other.headers });
    expect(res2.status).toBe(202);
    await untilStatus("destroyed");
    const gone = await callRoute(routes.one.GET, { params: { id: envId }, headers: owner.headers });
    expect(gone.body).toMatchObject({ status: "destroyed", destroyedBy: other.user.email, destroyReason: "done testing" });
    expect(gone.body.destroyedAt).not.toBeNull();
    expect(gone.body.actions.filter((a: { allowed: boolean }) => a.allowed)).toEqual([]);
  });
});
