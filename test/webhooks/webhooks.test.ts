import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute } from "../support/call-route";
import { eventually } from "../support/eventually";
import { startWebhookReceiver } from "../support/webhook-receiver";
import { startWorkerWorld } from "../support/world";

// Webhooks end to end on a real queue, a real sandbox cluster and a receiver on loopback:
// signed as the README says, retried on 503 until delivered, not retried on 400, one
// environment.ready per change into Ready, who may subscribe to what, and the address guard.

// The README's verification snippet (Webhooks), as a receiver would paste it.
function verifyCorral(secret: string, headers: IncomingHttpHeaders, rawBody: string): boolean {
  const timestamp = headers["corral-timestamp"] as string | undefined;
  const age = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (!timestamp || !(age <= 300)) return false; // older than 5 minutes: a replay
  const expected = "v1=" + createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
  return ((headers["corral-signature"] as string | undefined) ?? "").split(",").some((s) => {
    const given = Buffer.from(s.trim());
    return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
  });
}

let world: Awaited<ReturnType<typeof startWorkerWorld>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let routes: {
  list: typeof import("@/app/api/v1/webhooks/route");
  one: typeof import("@/app/api/v1/webhooks/[id]/route");
  deliveries: typeof import("@/app/api/v1/webhooks/[id]/deliveries/route");
  redeliver: typeof import("@/app/api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver/route");
  test: typeof import("@/app/api/v1/webhooks/[id]/test/route");
};
let lib: {
  signedIn: typeof import("../support/sign-in").signedIn;
  create: typeof import("@/lib/environments/create-environment").createEnvironment;
  updateState: typeof import("@/lib/environments/write-state").updateState;
  settleStaleCopies: typeof import("@/lib/data/settle-stale-copies").settleStaleCopies;
  runDataCopy: typeof import("@/lib/data/run-data-copy").runDataCopy;
  config: typeof import("@/lib/config").config;
  enqueue: typeof import("@/lib/jobs/queue").enqueue;
  deliveryJob: typeof import("@/lib/jobs/definitions/webhook-delivery").webhookDeliveryJob;
};
type Session = Awaited<ReturnType<typeof lib.signedIn>>;
let admin: Session;

beforeAll(async () => {
  world = await startWorkerWorld("webhooks");
  receiver = await startWebhookReceiver({ "/flaky": [503, 503, 503, 200], "/bad": 400 });
  const [list, one, deliveries, redeliver, test, { signedIn }, { createEnvironment }, { updateState }, { settleStaleCopies }, { config }, { enqueue }, { webhookDeliveryJob }, { runDataCopy }] = await Promise.all([
    import("@/app/api/v1/webhooks/route"),
    import("@/app/api/v1/webhooks/[id]/route"),
    import("@/app/api/v1/webhooks/[id]/deliveries/route"),
    import("@/app/api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver/route"),
    import("@/app/api/v1/webhooks/[id]/test/route"),
    import("../support/sign-in"),
    import("@/lib/environments/create-environment"),
    import("@/lib/environments/write-state"),
    import("@/lib/data/settle-stale-copies"),
    import("@/lib/config"),
    import("@/lib/jobs/queue"),
    import("@/lib/jobs/definitions/webhook-delivery"),
    import("@/lib/data/run-data-copy"),
  ]);
  routes = { list, one, deliveries, redeliver, test };
  lib = { signedIn, create: createEnvironment, updateState, settleStaleCopies, runDataCopy, config, enqueue, deliveryJob: webhookDeliveryJob };
  admin = await signedIn("admin");
}, 60_000);

afterAll(async () => {
  await receiver?.stop();
  await world?.stop();
});

async function subscribe(who: Session, body: Record<string, unknown>) {
  const res = await callRoute(routes.list.POST, { method: "POST", body, headers: who.headers });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string };
}

const deliveriesOf = async (who: Session, id: string) => (await callRoute(routes.deliveries.GET, { params: { id }, headers: who.headers })).body.items as any[];
const sendTest = (who: Session, id: string) => callRoute(routes.test.POST, { method: "POST", params: { id }, headers: who.headers });

describe("webhooks", () => {
  it("deliver a test that verifies with the documented signature; the secret is shown once and stored sealed", async () => {
    const hook = await subscribe(admin, { url: receiver.url("/ok"), events: ["environment.ready"], description: "CI" });
    expect(hook.secret).toMatch(/^whsec_/);
    const listed = await callRoute(routes.list.GET, { headers: admin.headers });
    expect(listed.body.items.map((h: { id: string }) => h.id)).toContain(hook.id);
    expect(JSON.stringify(listed.body)).not.toContain(hook.secret);
    const row = await world.db.webhookSubscription.findUniqueOrThrow({ where: { id: hook.id } });
    expect(row.secretEncrypted).not.toContain(hook.secret);

    const sent = await sendTest(admin, hook.id);
    expect(sent.status).toBe(202);
    const got = await eventually(async () => receiver.at("/ok").find((r) => r.headers["corral-event-id"] === sent.body.eventId), "the test delivery");
    expect(verifyCorral(hook.secret, got.headers, got.body)).toBe(true);
    // A tampered body, another secret, or a timestamp from ten minutes ago do not verify.
    expect(verifyCorral(hook.secret, got.headers, got.body.replace("webhook.test", "webhook.tset"))).toBe(false);
    expect(verifyCorral("whsec_other", got.headers, got.body)).toBe(false);
    const old = Math.floor(Date.now() / 1000) - 600;
    const replayed = { ...got.headers, "corral-timestamp": String(old), "corral-signature": "v1=" + createHmac("sha256", hook.secret).update(`${old}.${got.body}`).digest("hex") };
    expect(verifyCorral(hook.secret, replayed, got.body)).toBe(false);

    const body = JSON.parse(got.body);
    expect(body).toMatchObject({ id: sent.body.eventId, type: "webhook.test", data: { webhook: { id: hook.id }, sentBy: admin.user.email } });
    expect(got.headers["corral-event-kind"]).toBe("webhook.test");
    expect(got.headers["content-type"]).toBe("application/json");
    const log = await eventually(async () => (await deliveriesOf(admin, hook.id)).find((d) => d.id === sent.body.id && d.status === "succeeded"), "delivered in the log");
    expect(log).toMatchObject({ attempts: 1, responseStatus: 200, error: null });

    // The queue delivers a job at least once: the same attempt run again sends nothing and records nothing.
    const jobId = await lib.enqueue(lib.deliveryJob, { deliveryId: sent.body.id, attempt: 1 }, { cause: "test: a duplicate" });
    await eventually(async () => (await world.db.$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE id = ${jobId}::uuid`)[0]?.state === "completed", "the duplicate done");
    expect(receiver.at("/ok").filter((r) => r.headers["corral-event-id"] === sent.body.eventId)).toHaveLength(1);
    expect(await world.db.webhookDelivery.findUniqueOrThrow({ where: { id: sent.body.id } })).toMatchObject({ attempts: 1, status: "succeeded" });
  });

  it("retries a receiver answering 503 with backoff, each attempt in the log, until it is delivered", async () => {
    const hook = await subscribe(admin, { url: receiver.url("/flaky"), events: ["data-copy.finished"] });
    const sent = await sendTest(admin, hook.id);
    const retrying = await eventually(async () => (await deliveriesOf(admin, hook.id)).find((d) => d.id === sent.body.id && d.status === "retrying"), "retrying");
    expect(retrying.nextAttemptAt).not.toBeNull();
    const delivered = await eventually(async () => (await deliveriesOf(admin, hook.id)).find((d) => d.id === sent.body.id && d.status === "succeeded"), "delivered after retries", 60_000);

    expect(delivered.attempts).toBe(4);
    expect(delivered.attemptLog.map((a: { status: number }) => a.status)).toEqual([503, 503, 503, 200]);
    expect(delivered.attemptLog[0].error).toMatch(/503 Service Unavailable.*Trying again in [12] s \(attempt 1 of 12 failed\)/);
    // Every attempt carried the same event (receivers dedupe on it), each signed afresh.
    const tries = receiver.at("/flaky");
    expect(tries).toHaveLength(4);
    expect(new Set(tries.map((t) => t.headers["corral-event-id"]))).toEqual(new Set([sent.body.eventId]));
    expect(tries.every((t) => verifyCorral(hook.secret, t.headers, t.body))).toBe(true);
  }, 90_000);

  it("does not retry a 400: the delivery fails at once with the reason, and can be redelivered", async () => {
    const hook = await subscribe(admin, { url: receiver.url("/bad"), events: ["environment.failed"] });
    const sent = await sendTest(admin, hook.id);
    const failed = await eventually(async () => (await deliveriesOf(admin, hook.id)).find((d) => d.id === sent.body.id && d.status === "failed"), "failed");
    expect(failed.attempts).toBe(1);
    expect(failed.responseStatus).toBe(400);
    expect(failed.error).toBe("The receiver answered 400 Bad Request: “unknown event”. Not retried: the receiver refused this request (a 4xx other than 429), so sending it again would be refused again.");
    // Its one job is done and the queue holds no further attempt of it.
    const jobs = () => world.db.$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE name = 'webhook-delivery' AND data->>'deliveryId' = ${sent.body.id}`;
    await eventually(async () => (await jobs()).every((j) => j.state === "completed"), "its job completed");
    expect(await jobs()).toHaveLength(1);
    expect(receiver.at("/bad")).toHaveLength(1);

    const again = await callRoute(routes.redeliver.POST, { method: "POST", params: { id: hook.id, deliveryId: sent.body.id }, headers: admin.headers });
    expect(again.status).toBe(202);
    await eventually(async () => receiver.at("/bad").length === 2, "the redelivery");
    expect(receiver.at("/bad")[1]!.headers["corral-event-id"]).toBe(sent.body.eventId);
    const unknown = await callRoute(routes.redeliver.POST, { method: "POST", params: { id: hook.id, deliveryId: "nope" }, headers: admin.headers });
    expect(unknown.status).toBe(404);
  });

  it("sends exactly one environment.ready when an environment becomes Ready, and none for writes that keep it Ready", async () => {
    const hook = await subscribe(admin, { url: receiver.url("/ready"), events: ["environment.ready"] });
    const env = await lib.create(world.actor, { name: "hooked", components: [{ name: "web", image: "nginx:1.27.3", port: 80 }] });
    const readyDeliveries = () => world.db.webhookDelivery.findMany({ where: { subscriptionId: hook.id, kind: "environment.ready", payload: { contains: env.id } } });
    await eventually(async () => (await readyDeliveries()).some((d) => d.status === "succeeded"), "environment.ready delivered", 30_000);
    // A write of its state that leaves it Ready (what the observer does all the time) sends nothing.
    const written = await lib.updateState(world.db, env.id, () => ({ patch: { phaseReason: null }, extra: { lastActivityAt: new Date() } }));
    expect(written?.status).toBe("ready");
    expect(await readyDeliveries()).toHaveLength(1);
    const got = receiver.at("/ready").filter((r) => r.body.includes(env.id));
    expect(got).toHaveLength(1);
    expect(verifyCorral(hook.secret, got[0]!.headers, got[0]!.body)).toBe(true);
    expect(JSON.parse(got[0]!.body)).toMatchObject({
      type: "environment.ready",
      data: { environment: { id: env.id, name: "hooked", status: "ready", owner: { email: world.actor.email } }, previousStatus: "provisioning" },
    });
  }, 60_000);

  it("lets an owner subscribe to their environment's events, a lead to anyone's, only an admin to every environment's", async () => {
    const owner = await lib.signedIn("developer");
    const other = await lib.signedIn("developer");
    const lead = await lib.signedIn("lead");
    const env = await world.db.environment.create({ data: { name: "owned-hooks", liveName: "owned-hooks", ownerId: owner.user.id } });
    const mine = await subscribe(owner, { url: receiver.url("/mine"), events: ["environment.destroyed"], environmentId: env.id });
    await subscribe(lead, { url: receiver.url("/lead"), events: ["environment.failed"], environmentId: env.id });

    const refused = await callRoute(routes.list.POST, { method: "POST", body: { url: receiver.url("/x"), events: ["environment.ready"], environmentId: env.id }, headers: other.headers });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/owner, a lead or an admin/);
    const everywhere = await callRoute(routes.list.POST, { method: "POST", body: { url: receiver.url("/x"), events: ["environment.ready"] }, headers: lead.headers });
    expect(everywhere.status).toBe(403);
    expect((await callRoute(routes.one.DELETE, { method: "DELETE", params: { id: mine.id }, headers: other.headers })).status).toBe(403);
    expect((await callRoute(routes.deliveries.GET, { params: { id: mine.id }, headers: other.headers })).status).toBe(403);

    // Each sees the ones they manage.
    const ownList = await callRoute(routes.list.GET, { headers: owner.headers });
    expect(ownList.body.items.map((h: { environmentId: string }) => h.environmentId)).toEqual([env.id, env.id]);
    expect((await callRoute(routes.list.GET, { headers: other.headers })).body.items).toEqual([]);
    expect((await callRoute(routes.list.GET, { path: `/api/v1/webhooks?environmentId=${env.id}`, headers: other.headers })).status).toBe(403);

    // Paused, it gets no events; resumed, it does.
    const paused = await callRoute(routes.one.PATCH, { method: "PATCH", params: { id: mine.id }, body: { active: false }, headers: owner.headers });
    expect(paused.body.active).toBe(false);
    expect((await callRoute(routes.one.PATCH, { method: "PATCH", params: { id: mine.id }, body: { active: true }, headers: owner.headers })).body.active).toBe(true);
    expect((await callRoute(routes.one.DELETE, { method: "DELETE", params: { id: mine.id }, headers: owner.headers })).status).toBe(200);
    expect(await world.db.webhookSubscription.count({ where: { id: mine.id } })).toBe(0);
  });

  it("refuses bad input with a message per field, changing nothing", async () => {
    const before = await world.db.webhookSubscription.count();
    const bad = await callRoute(routes.list.POST, { method: "POST", body: { url: "ftp://example.com/x", events: [] }, headers: admin.headers });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.url).toEqual(["Only http:// and https:// URLs can receive webhooks."]);
    expect(bad.body.error.details.events).toEqual(["Choose at least one event."]);
    const unknown = await callRoute(routes.list.POST, { method: "POST", body: { url: receiver.url("/x"), events: ["environment.exploded"], environmentId: "nope" }, headers: admin.headers });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details["events.0"]?.[0]).toMatch(/^An event is one of environment.ready/);
    const noEnv = await callRoute(routes.list.POST, { method: "POST", body: { url: receiver.url("/x"), events: ["environment.ready"], environmentId: "nope" }, headers: admin.headers });
    expect(noEnv.status).toBe(400);
    expect(noEnv.body.error.details.environmentId).toEqual(["There is no such environment."]);
    expect(await world.db.webhookSubscription.count()).toBe(before);
  });

  it("refuses private and loopback targets unless allowed, when saved and again when sending", async () => {
    const settings = lib.config();
    const hook = await subscribe(admin, { url: `http://localhost:${receiver.port}/inside`, events: ["environment.ready"] });
    settings.CORRAL_WEBHOOKS_ALLOW_PRIVATE = false;
    try {
      for (const url of [receiver.url("/x"), "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/"]) {
        const refused = await callRoute(routes.list.POST, { method: "POST", body: { url, events: ["environment.ready"] }, headers: admin.headers });
        expect(refused.status, url).toBe(400);
        expect(refused.body.error.details.url[0]).toMatch(/private or loopback address/);
      }
      // Saved while it was allowed: the connection itself is refused, and not retried.
      const sent = await sendTest(admin, hook.id);
      const failed = await eventually(async () => (await deliveriesOf(admin, hook.id)).find((d) => d.id === sent.body.id && d.status === "failed"), "refused");
      expect(failed.error).toMatch(/^localhost \(127\.0\.0\.1\) is a private or loopback address.*Not retried/);
      expect(receiver.at("/inside")).toHaveLength(0);
    } finally {
      settings.CORRAL_WEBHOOKS_ALLOW_PRIVATE = true;
    }
  });

  it("tells of copies that end (settled after their job, or refused by it): data-copy.finished with the status and the reason", async () => {
    const hook = await subscribe(admin, { url: receiver.url("/copies"), events: ["data-copy.finished"] });
    const env = await world.db.environment.create({ data: { name: "copied", liveName: "copied", ownerId: world.actor.id } });
    const source = await world.db.dataSource.create({ data: { name: "cache-prod", kind: "redis", host: "127.0.0.1", port: 6379 } });
    const copy = await world.db.dataCopy.create({ data: { environmentId: env.id, kind: "redis", sourceId: source.id, requestedById: world.actor.id, status: "running" } });
    await lib.settleStaleCopies(env.id);
    await lib.settleStaleCopies(env.id); // settled once: no second event
    const delivered = await eventually(async () => receiver.at("/copies").find((r) => r.body.includes(copy.id)), "data-copy.finished");
    expect(JSON.parse(delivered.body)).toMatchObject({
      type: "data-copy.finished",
      data: { copy: { id: copy.id, kind: "redis", status: "failed", error: "Its job ended without finishing the copy.", source: "cache-prod" }, environment: { id: env.id, name: "copied" } },
    });
    expect(await world.db.webhookDelivery.count({ where: { subscriptionId: hook.id } })).toBe(1);

    // A copy that its job finds it cannot make (no store to copy into) ends with the event too.
    const doomed = await world.db.dataCopy.create({ data: { environmentId: env.id, kind: "redis", sourceId: source.id, requestedById: world.actor.id } });
    const ctx = { signal: new AbortController().signal, log: (await import("@/lib/log")).log, lastAttempt: false, attempt: 1, progress: async () => {}, retryTransient: () => Promise.reject(new Error("no transient failure here")) };
    await expect(lib.runDataCopy(doomed.id, ctx)).rejects.toThrow("copied has no ready Redis store any more.");
    const told = await eventually(async () => receiver.at("/copies").find((r) => r.body.includes(doomed.id)), "the failed copy told");
    expect(JSON.parse(told.body).data.copy).toMatchObject({ id: doomed.id, status: "failed", error: "copied has no ready Redis store any more." });
  });
});
