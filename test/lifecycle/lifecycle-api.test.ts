import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute } from "../support/call-route";
import { eventually } from "../support/eventually";
import { startWorkerWorld } from "../support/world";

// The lifecycle's API as pipelines and the pages use it: extend within the allowed maximum,
// a lead's pin, sleep and wake, bulk tear-down for leads only, the overview with costs, the
// dry run, usage over time and the settings. Each refusal changes nothing.

let world: Awaited<ReturnType<typeof startWorkerWorld>>;
type Mod<T> = T;
let r: {
  create: Mod<typeof import("@/app/api/v1/environments/route").POST>;
  extend: Mod<typeof import("@/app/api/v1/environments/[id]/extend/route").POST>;
  pin: Mod<typeof import("@/app/api/v1/environments/[id]/pin/route")>;
  sleep: Mod<typeof import("@/app/api/v1/environments/[id]/sleep/route").POST>;
  wake: Mod<typeof import("@/app/api/v1/environments/[id]/wake/route").POST>;
  bulk: Mod<typeof import("@/app/api/v1/environments/bulk-destroy/route").POST>;
  overview: Mod<typeof import("@/app/api/v1/environments/overview/route").GET>;
  forecast: Mod<typeof import("@/app/api/v1/lifecycle/forecast/route").GET>;
  usage: Mod<typeof import("@/app/api/v1/usage/route").GET>;
  settings: Mod<typeof import("@/app/api/v1/settings/lifecycle/route")>;
  notifications: Mod<typeof import("@/app/api/v1/notifications/route").GET>;
};
type Person = { headers: Record<string, string>; user: { id: string; email: string } };
let dev: Person;
let otherDev: Person;
let lead: Person;
let admin: Person;
const ids: Record<string, string> = {};
const HOUR = 3_600_000;

beforeAll(async () => {
  world = await startWorkerWorld("lifecycleapi");
  const m = await Promise.all([
    import("@/app/api/v1/environments/route"),
    import("@/app/api/v1/environments/[id]/extend/route"),
    import("@/app/api/v1/environments/[id]/pin/route"),
    import("@/app/api/v1/environments/[id]/sleep/route"),
    import("@/app/api/v1/environments/[id]/wake/route"),
    import("@/app/api/v1/environments/bulk-destroy/route"),
    import("@/app/api/v1/environments/overview/route"),
    import("@/app/api/v1/lifecycle/forecast/route"),
    import("@/app/api/v1/usage/route"),
    import("@/app/api/v1/settings/lifecycle/route"),
    import("@/app/api/v1/notifications/route"),
    import("../support/sign-in"),
  ]);
  r = { create: m[0].POST, extend: m[1].POST, pin: m[2], sleep: m[3].POST, wake: m[4].POST, bulk: m[5].POST, overview: m[6].GET, forecast: m[7].GET, usage: m[8].GET, settings: m[9], notifications: m[10].GET };
  [dev, otherDev, lead, admin] = await Promise.all([m[11].signedIn("developer", "api-dev"), m[11].signedIn("qa", "api-qa"), m[11].signedIn("lead", "api-lead"), m[11].signedIn("admin", "api-admin")]);
  for (const [name, who, replicas] of [["cheap", dev, 1], ["dear", dev, 4], ["theirs", otherDev, 1]] as const) {
    const res = await callRoute(r.create, {
      method: "POST",
      headers: who.headers,
      body: { name, components: [{ name: "web", image: "acme/web:1.0.0", replicas }], ttlHours: 24 },
    });
    expect(res.status).toBe(202);
    ids[name] = res.body.id;
  }
  for (const id of Object.values(ids)) await untilStatus(id, "ready");
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

const envOf = (id: string) => world.db.environment.findUniqueOrThrow({ where: { id } });
const untilStatus = (id: string, status: string) => eventually(async () => ((await envOf(id)).status === status ? true : null), `status ${status}`, 30_000);

describe("expiry", () => {
  it("extends by hours or to a moment, never past the allowed maximum, and only for its owner or a lead", async () => {
    const before = (await envOf(ids.cheap!)).expiresAt!;
    const ok = await callRoute(r.extend, { method: "POST", headers: dev.headers, params: { id: ids.cheap! }, body: { hours: 24 } });
    expect(ok.status).toBe(200);
    expect(new Date(ok.body.expiresAt).getTime()).toBe(before.getTime() + 24 * HOUR);
    expect(ok.body.history[0].message).toMatch(/Expiry moved to/);
    // An expiry is not a change of the cluster: no new generation, no reconcile.
    expect(ok.body.status).toBe("ready");

    const tooFar = await callRoute(r.extend, { method: "POST", headers: dev.headers, params: { id: ids.cheap! }, body: { hours: 24 * 30 } });
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.error.details.hours[0]).toMatch(/At most 336 hours from now/);
    const both = await callRoute(r.extend, { method: "POST", headers: dev.headers, params: { id: ids.cheap! }, body: { hours: 2, until: new Date().toISOString() } });
    expect(both.status).toBe(400);
    const past = await callRoute(r.extend, { method: "POST", headers: dev.headers, params: { id: ids.cheap! }, body: { until: new Date(Date.now() - HOUR).toISOString() } });
    expect(past.body.error.details.until[0]).toMatch(/past/);
    const notTheirs = await callRoute(r.extend, { method: "POST", headers: otherDev.headers, params: { id: ids.cheap! }, body: { hours: 1 } });
    expect(notTheirs.status).toBe(403);
    expect((await envOf(ids.cheap!)).expiresAt!.getTime()).toBe(before.getTime() + 24 * HOUR);

    const until = new Date(Date.now() + 100 * HOUR);
    const set = await callRoute(r.extend, { method: "POST", headers: lead.headers, params: { id: ids.cheap! }, body: { until: until.toISOString() } });
    expect(set.status).toBe(200);
    expect(set.body.expiresAt).toBe(until.toISOString());
  });

  it("lets only a lead pin, after which it neither expires nor can be extended; unpinned it expires again", async () => {
    const refused = await callRoute(r.pin.POST, { method: "POST", headers: dev.headers, params: { id: ids.dear! } });
    expect(refused.status).toBe(403);
    expect((await envOf(ids.dear!)).pinnedBy).toBeNull();
    const pinned = await callRoute(r.pin.POST, { method: "POST", headers: lead.headers, params: { id: ids.dear! } });
    expect(pinned.status).toBe(200);
    expect(pinned.body).toMatchObject({ expiresAt: null, pinnedBy: "api-lead@example.com" });
    const extend = await callRoute(r.extend, { method: "POST", headers: dev.headers, params: { id: ids.dear! }, body: { hours: 1 } });
    expect(extend.status).toBe(409);
    expect(extend.body.error.message).toMatch(/pinned/);
    const unpinned = await callRoute(r.pin.DELETE, { method: "DELETE", headers: lead.headers, params: { id: ids.dear! } });
    expect(unpinned.body.pinnedBy).toBeNull();
    expect(new Date(unpinned.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 71 * HOUR);
  });
});

describe("sleep and wake through the API", () => {
  it("sleeps and wakes on request, each refused when it makes no sense", async () => {
    expect((await callRoute(r.wake, { method: "POST", headers: dev.headers, params: { id: ids.cheap! } })).status).toBe(409);
    const slept = await callRoute(r.sleep, { method: "POST", headers: dev.headers, params: { id: ids.cheap! } });
    expect(slept.status).toBe(202);
    expect(slept.body.status).toBe("sleeping");
    await eventually(async () => ((await world.apps.readNamespacedDeployment({ namespace: "cheap", name: "web" })).spec?.replicas === 0 ? true : null), "scaled to 0");
    expect((await callRoute(r.sleep, { method: "POST", headers: dev.headers, params: { id: ids.cheap! } })).status).toBe(409);
    expect((await callRoute(r.wake, { method: "POST", headers: otherDev.headers, params: { id: ids.cheap! } })).status).toBe(403);
    const woken = await callRoute(r.wake, { method: "POST", headers: dev.headers, params: { id: ids.cheap! } });
    expect(woken.status).toBe(202);
    await untilStatus(ids.cheap!, "ready");
    expect((await world.apps.readNamespacedDeployment({ namespace: "cheap", name: "web" })).spec?.replicas).toBe(1);
  });
});

describe("the lead's view", () => {
  it("lists every live environment with its cost, sorted and filtered, and offers the bulk action to leads only", async () => {
    const byCost = await callRoute(r.overview, { path: "/api/v1/environments/overview?sort=cost", headers: lead.headers });
    expect(byCost.status).toBe(200);
    const names = byCost.body.items.map((i: { name: string }) => i.name);
    expect(names).toEqual(expect.arrayContaining(["cheap", "dear", "theirs"]));
    // Four replicas cost more than one over the same time: dear comes first when the dearest lead.
    expect(names.indexOf("dear")).toBeLessThan(names.indexOf("theirs"));
    const dear = byCost.body.items.find((i: { name: string }) => i.name === "dear");
    expect(dear.requests).toEqual({ cpu: 0.2, memoryGib: 0.25 });
    expect(dear.cost).toBeGreaterThanOrEqual(0);
    expect(byCost.body.mayBulkDestroy).toBe(true);
    expect(byCost.body.byOwner.map((o: { owner: string }) => o.owner)).toEqual(expect.arrayContaining(["api-dev@example.com", "api-qa@example.com"]));

    const mine = await callRoute(r.overview, { path: "/api/v1/environments/overview?owner=api-qa@example.com&sort=name", headers: dev.headers });
    expect(mine.body.items.map((i: { name: string }) => i.name)).toEqual(["theirs"]);
    expect(mine.body.mayBulkDestroy).toBe(false);
    const bad = await callRoute(r.overview, { path: "/api/v1/environments/overview?sort=colour", headers: dev.headers });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.sort).toBeDefined();
  });

  it("answers a dry run of the next hours from the same plan as the pass", async () => {
    const res = await callRoute(r.forecast, { path: "/api/v1/lifecycle/forecast?hours=48", headers: dev.headers });
    expect(res.status).toBe(200);
    // "theirs" expires within 24 hours of its creation and has not been warned yet.
    const theirs = res.body.events.filter((e: { environment: { name: string } }) => e.environment.name === "theirs").map((e: { kind: string }) => e.kind);
    expect(theirs).toEqual(expect.arrayContaining(["warn", "expire"]));
    expect(res.body.summary.expire).toBeGreaterThanOrEqual(1);
  });

  it("reports environments and cost a day by owner", async () => {
    const res = await callRoute(r.usage, { path: "/api/v1/usage?days=3&by=owner", headers: dev.headers });
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(3);
    const today = res.body.days.at(-1);
    expect(today.environments).toBeGreaterThanOrEqual(3);
    expect(Object.keys(today.byKey)).toEqual(expect.arrayContaining(["api-dev@example.com", "api-qa@example.com"]));
    expect((await callRoute(r.usage, { path: "/api/v1/usage?days=0", headers: dev.headers })).status).toBe(400);
  });

  it("refuses a developer's bulk tear-down and changes nothing; a lead's destroys exactly what was chosen", async () => {
    const refused = await callRoute(r.bulk, { method: "POST", headers: dev.headers, body: { ids: [ids.theirs] } });
    expect(refused.status).toBe(403);
    expect((await envOf(ids.theirs!)).lifecycle).toBe("active");
    const empty = await callRoute(r.bulk, { method: "POST", headers: lead.headers, body: { ids: [] } });
    expect(empty.status).toBe(400);

    const done = await callRoute(r.bulk, { method: "POST", headers: lead.headers, body: { ids: [ids.theirs, ids.dear, "nope"], reason: "stale" } });
    expect(done.status).toBe(202);
    expect(done.body.destroying).toBe(2);
    expect(done.body.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "theirs", outcome: "destroying" }),
        expect.objectContaining({ id: "nope", outcome: "not-found" }),
      ]),
    );
    await untilStatus(ids.theirs!, "destroyed");
    expect((await envOf(ids.theirs!)).destroyReason).toBe("stale (bulk tear-down)");
    expect((await envOf(ids.cheap!)).lifecycle).toBe("active");
  });
});

describe("settings", () => {
  it("lets admins change them, with a message per bad field, and never shows the webhook back", async () => {
    const body = { maxTtlHours: 200, warnBeforeHours: 12, idleSleepHours: null, asleepDestroyHours: 100, cpuHourPrice: 0.05, memoryGibHourPrice: 0.01, currency: "EUR", notifyWebhookUrl: "https://hooks.example.com/services/T/B/very-secret" };
    expect((await callRoute(r.settings.PUT, { method: "PUT", headers: lead.headers, body })).status).toBe(403);
    const bad = await callRoute(r.settings.PUT, { method: "PUT", headers: admin.headers, body: { ...body, currency: "euro", warnBeforeHours: 0 } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details).sort()).toEqual(["currency", "warnBeforeHours"]);
    const saved = await callRoute(r.settings.PUT, { method: "PUT", headers: admin.headers, body });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ maxTtlHours: 200, idleSleepHours: null, currency: "EUR", notifyWebhookSet: true });
    const read = await callRoute(r.settings.GET, { headers: dev.headers });
    expect(JSON.stringify(read.body)).not.toContain("very-secret");
    const row = await world.db.lifecycleSettings.findUniqueOrThrow({ where: { id: 1 } });
    expect(row.notifyWebhookSealed).not.toContain("very-secret");
    // The new maximum holds at once.
    const tooLong = await callRoute(r.create, { method: "POST", headers: dev.headers, body: { name: "long-one", components: [{ name: "web", image: "acme/web:1.0.0" }], ttlHours: 300 } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.ttlHours[0]).toMatch(/At most 200 hours/);
  });

  it("lists a person's notifications, their own only", async () => {
    await world.db.notification.create({ data: { userId: dev.user.id, environmentId: ids.cheap!, kind: "expiring", key: "k1", message: "cheap expires in 3 hours" } });
    const mine = await callRoute(r.notifications, { headers: dev.headers });
    expect(mine.body.unread).toBe(1);
    expect(mine.body.items[0]).toMatchObject({ kind: "expiring", environment: { name: "cheap" } });
    expect((await callRoute(r.notifications, { headers: otherDev.headers })).body.items).toEqual([]);
  });
});
