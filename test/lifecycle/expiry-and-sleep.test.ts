import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute } from "../support/call-route";
import { eventually } from "../support/eventually";
import { startWorkerWorld } from "../support/world";

// Expiry, warnings, sleep and wake with a controllable clock: the lifecycle pass is run with
// the `now` a test gives it, against a real worker, Postgres and the sandbox's cluster and
// ingress. The waker is served over HTTP by its route handler, so a visit goes through the
// sandbox's ingress to an ExternalName Service and on to Corral as with ingress-nginx.

const HOUR = 3_600_000;
let world: Awaited<ReturnType<typeof startWorkerWorld>>;
let runLifecyclePass: typeof import("@/lib/lifecycle/run-lifecycle-pass").runLifecyclePass;
let routes: {
  create: typeof import("@/app/api/v1/environments/route").POST;
  pin: typeof import("@/app/api/v1/environments/[id]/pin/route").POST;
  sleep: typeof import("@/app/api/v1/environments/[id]/sleep/route").POST;
  wake: typeof import("@/app/api/v1/environments/[id]/wake/route").POST;
  settings: typeof import("@/app/api/v1/settings/lifecycle/route").PUT;
};
let owner: { headers: Record<string, string> };
let lead: { headers: Record<string, string> };
let admin: { headers: Record<string, string> };
let templateId: string;
let orderedTemplateId: string;
const hooks: { text: string }[] = [];
const servers: http.Server[] = [];

beforeAll(async () => {
  world = await startWorkerWorld("lifecycle");
  const mods = await Promise.all([
    import("@/lib/lifecycle/run-lifecycle-pass"),
    import("@/app/api/v1/environments/route"),
    import("@/app/api/v1/environments/[id]/pin/route"),
    import("@/app/api/v1/environments/[id]/sleep/route"),
    import("@/app/api/v1/environments/[id]/wake/route"),
    import("@/app/api/v1/settings/lifecycle/route"),
    import("@/app/api/waker/[id]/route"),
    import("../support/sign-in"),
  ]);
  runLifecyclePass = mods[0].runLifecyclePass;
  routes = { create: mods[1].POST, pin: mods[2].POST, sleep: mods[3].POST, wake: mods[4].POST, settings: mods[5].PUT };
  const waker = mods[6].GET;
  [owner, lead, admin] = await Promise.all([mods[7].signedIn("developer", "life-dev"), mods[7].signedIn("lead", "life-lead"), mods[7].signedIn("admin", "life-admin")]);

  // Corral's waker, over HTTP: what the sandbox's ingress sends sleeping names to.
  const wakerUrl = await serve(async (req, res) => {
    const id = /^\/api\/waker\/([^/?]+)/.exec(req.url ?? "")?.[1];
    if (!id) return void res.writeHead(404).end();
    const request = new NextRequest(new URL(req.url!, "http://127.0.0.1"), { headers: req.headers as Record<string, string> });
    const answer = await waker(request, { params: Promise.resolve({ id }) });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(await answer.text());
  });
  // A Slack-compatible incoming webhook.
  const hookUrl = await serve(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    hooks.push(JSON.parse(body) as { text: string });
    res.writeHead(200).end("ok");
  });
  await world.db.cluster.updateMany({ data: { wakerUrl, ingressMetricsUrl: world.sandbox.ingress.metricsUrl } });
  const saved = await callRoute(routes.settings, {
    method: "PUT",
    headers: admin.headers,
    body: { maxTtlHours: 336, warnBeforeHours: 24, idleSleepHours: 3, asleepDestroyHours: 336, cpuHourPrice: 0.04, memoryGibHourPrice: 0.005, currency: "USD", notifyWebhookUrl: `${hookUrl}/hooks/T000/B000/secret` },
  });
  expect(saved.status).toBe(200);
  expect(JSON.stringify(saved.body)).not.toContain("secret");

  const small = { requests: { cpu: "250m", memory: "256Mi" } };
  templateId = (
    await world.db.template.create({
      data: {
        name: "sleepy-shop",
        components: {
          create: [
            { name: "web", repository: "registry.sandbox.corral.test/shop/web", defaultTag: "1.2.1", port: 8080, replicas: 2, public: true, resources: small },
            { name: "db", repository: "registry.sandbox.corral.test/shop/worker", defaultTag: "1.2.1", replicas: 1, persistent: true, resources: small },
          ],
        },
      },
    })
  ).id;
  orderedTemplateId = (
    await world.db.template.create({
      data: {
        name: "ordered-shop",
        components: {
          create: [
            { name: "api", repository: "registry.sandbox.corral.test/shop/api", defaultTag: "1.2.1", port: 8080, startOrder: 0 },
            { name: "web", repository: "registry.sandbox.corral.test/shop/web", defaultTag: "1.2.1", port: 8080, startOrder: 1, public: true },
          ],
        },
      },
    })
  ).id;
}, 60_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await world?.stop();
});

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>): Promise<string> {
  const server = http.createServer((req, res) => void handler(req, res).catch((e: unknown) => res.writeHead(500).end(String(e))));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function create(name: string, body: Record<string, unknown>) {
  const res = await callRoute(routes.create, { method: "POST", headers: owner.headers, body: { name, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id as string;
}

const envOf = (id: string) => world.db.environment.findUniqueOrThrow({ where: { id } });
const untilStatus = (id: string, status: string, timeoutMs?: number) =>
  eventually(async () => ((await envOf(id)).status === status ? true : null), `status ${status}`, timeoutMs);
const replicasOf = async (ns: string, name: string) => (await world.apps.readNamespacedDeployment({ namespace: ns, name })).spec?.replicas;
const readyOf = async (ns: string, name: string) => (await world.apps.readNamespacedDeployment({ namespace: ns, name })).status?.readyReplicas ?? 0;

function getThroughIngress(host: string, path = "/", accept = "text/html"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${world.sandbox.ingress.url}${path}`, { headers: { host, accept } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}

describe("sleep and wake", () => {
  it("puts an idle environment to sleep (0 replicas, persistent components up); a visit to its name gets the waking page, wakes it, and then the app answers", async () => {
    const id = await create("sleepy", { template: templateId });
    await untilStatus(id, "ready", 30_000);
    const env = await envOf(id);
    const host = (await world.db.hostname.findFirstOrThrow({ where: { environmentId: id, componentName: "web", fqdn: { startsWith: "web." } } })).fqdn;

    // Not idle long enough: nothing happens.
    const early = await runLifecyclePass({ now: new Date(env.lastActivityAt.getTime() + 2 * HOUR) });
    expect(early.slept).not.toContain("sleepy");
    const later = await runLifecyclePass({ now: new Date(env.lastActivityAt.getTime() + 3 * HOUR + 60_000) });
    expect(later.slept).toContain("sleepy");

    await eventually(async () => ((await replicasOf("sleepy", "web")) === 0 ? true : null), "web scaled to 0");
    await eventually(async () => ((await world.core.listNamespacedPod({ namespace: "sleepy", labelSelector: "corral.dev/component=web" })).items.length === 0 ? true : null), "web's pods gone");
    expect(await replicasOf("sleepy", "db")).toBe(1);
    expect(await readyOf("sleepy", "db")).toBe(1);
    await untilStatus(id, "sleeping");
    const asleep = await envOf(id);
    expect(asleep.asleepSince).not.toBeNull();
    const audit = await world.db.auditEvent.findFirst({ where: { action: "environment.sleep", targetId: id } });
    expect(audit?.details).toMatchObject({ cause: "system: idle" });
    // Its owner hears of it, in the portal and through the webhook.
    expect(await world.db.notification.count({ where: { environmentId: id, kind: "asleep" } })).toBe(1);

    // A visit: the ingress now sends the name to the waker, which answers with the waking page and wakes it.
    const page = await eventually(async () => {
      const res = await getThroughIngress(host, "/cart");
      return res.status === 503 && res.body.includes("waking up") ? res : null;
    }, "the waking page");
    expect(page.body).toContain("sleepy");
    expect(page.body).toContain(host);
    const status = await getThroughIngress(host, "/cart?x=1", "application/json");
    expect(JSON.parse(status.body)).toMatchObject({ corralWaker: true, environment: "sleepy" });

    await eventually(async () => ((await readyOf("sleepy", "web")) === 2 ? true : null), "web back to 2 ready replicas", 30_000);
    await untilStatus(id, "ready", 30_000);
    const woken = await envOf(id);
    expect(woken.power).toBe("awake");
    expect(woken.asleepSince).toBeNull();
    expect(woken.lastActivityKind).toBe(`HTTP request to ${host}`);
    const history = await world.db.historyEntry.findMany({ where: { environmentId: id }, select: { message: true } });
    expect(history.map((h) => h.message).join("\n")).toMatch(new RegExp(`Woken: a visit to ${host.replace(/\./g, "\\.")}`));

    // Awake, the name reaches the app again, with its pinned version.
    const app = await eventually(async () => {
      const res = await getThroughIngress(host, "/cart", "application/json");
      return res.status === 200 && !res.body.includes("corralWaker") ? (JSON.parse(res.body) as { version: string }) : null;
    }, "the app answering");
    expect(app.version).toBe("1.2.1");
  });

  it("counts HTTP requests through its names (the ingress's metrics) as activity", async () => {
    const id = (await world.db.environment.findFirstOrThrow({ where: { name: "sleepy", lifecycle: "active" } })).id;
    const host = (await world.db.hostname.findFirstOrThrow({ where: { environmentId: id, fqdn: { startsWith: "web." } } })).fqdn;
    const { collectIngressActivity } = await import("@/lib/lifecycle/ingress-activity");
    const { log } = await import("@/lib/log");
    await collectIngressActivity(log); // the baseline
    const before = (await envOf(id)).lastActivityAt;
    const t = new Date(before.getTime() + 10 * 60_000);
    expect((await getThroughIngress(host, "/")).status).toBe(200);
    expect(await collectIngressActivity(log, t)).toContain("sleepy");
    const after = await envOf(id);
    expect(after.lastActivityAt.getTime()).toBe(t.getTime());
    expect(after.lastActivityKind).toBe("HTTP requests");
  });

  it("wakes in the template's start order: a later group gets replicas only once the earlier one is ready", async () => {
    const id = await create("ordered", { template: orderedTemplateId });
    await untilStatus(id, "ready", 30_000);
    expect((await callRoute(routes.sleep, { method: "POST", headers: owner.headers, params: { id } })).status).toBe(202);
    await untilStatus(id, "sleeping");
    await eventually(async () => ((await readyOf("ordered", "api")) === 0 && (await readyOf("ordered", "web")) === 0 ? true : null), "both down");

    // Everything the cluster says about the two Deployments while it wakes, in order.
    const seen: { name: string; replicas: number; ready: number }[] = [];
    const kc = new KubeConfig();
    kc.loadFromString(world.sandbox.kubeconfig);
    const watch = await new Watch(kc).watch("/apis/apps/v1/namespaces/ordered/deployments", {}, (_type, obj: { metadata: { name: string }; spec: { replicas: number }; status?: { readyReplicas?: number } }) => {
      seen.push({ name: obj.metadata.name, replicas: obj.spec.replicas, ready: obj.status?.readyReplicas ?? 0 });
    }, () => {});
    try {
      expect((await callRoute(routes.wake, { method: "POST", headers: owner.headers, params: { id } })).status).toBe(202);
      await untilStatus(id, "ready", 30_000);
    } finally {
      watch.abort();
    }
    const webUp = seen.findIndex((s) => s.name === "web" && s.replicas > 0);
    const apiReady = seen.findIndex((s) => s.name === "api" && s.ready > 0);
    expect(apiReady).toBeGreaterThanOrEqual(0);
    expect(webUp).toBeGreaterThan(apiReady);
  });
});

describe("expiry", () => {
  it("warns the owner once per expiry (portal and webhook, also across a worker restart), destroys at expiry as Corral's audited act, and leaves a pinned one alone", async () => {
    const shortId = await create("short-lived", { components: [{ name: "web", image: "acme/web:1.0.0" }], ttlHours: 30 });
    const pinnedId = await create("pinned-one", { components: [{ name: "web", image: "acme/web:1.0.0" }], ttlHours: 30 });
    expect((await callRoute(routes.pin, { method: "POST", headers: lead.headers, params: { id: pinnedId } })).status).toBe(200);
    await untilStatus(shortId, "ready", 30_000);
    const expiresAt = (await envOf(shortId)).expiresAt!;
    const warnings = () => hooks.filter((h) => h.text.includes("short-lived") && /expires in/.test(h.text));

    // 23 hours before: inside the 24-hour warning.
    const first = await runLifecyclePass({ now: new Date(expiresAt.getTime() - 23 * HOUR) });
    expect(first.warned).toEqual(["short-lived"]);
    await eventually(async () => (warnings().length === 1 ? true : null), "the webhook's warning");
    expect(warnings()[0]!.text).toMatch(/short-lived expires in 23 hours/);
    await eventually(async () => ((await world.db.notification.findFirst({ where: { environmentId: shortId, kind: "expiring" } }))?.webhookState === "sent" ? true : null), "marked sent");

    // Again, and again after the worker restarts: no second warning.
    expect((await runLifecyclePass({ now: new Date(expiresAt.getTime() - 22 * HOUR) })).warned).toEqual([]);
    await world.restartWorker();
    expect((await runLifecyclePass({ now: new Date(expiresAt.getTime() - 1 * HOUR) })).warned).toEqual([]);
    await eventually(async () => ((await pendingNotifyJobs()) === 0 ? true : null), "no delivery owed");
    expect(warnings()).toHaveLength(1);
    expect(await world.db.notification.count({ where: { environmentId: shortId, kind: "expiring" } })).toBe(1);

    // At expiry it is destroyed, by Corral, with the cause; the pinned one is not even warned.
    const done = await runLifecyclePass({ now: new Date(expiresAt.getTime() + 60_000) });
    expect(done.expired).toEqual(["short-lived"]);
    expect(done.warned).not.toContain("pinned-one");
    await untilStatus(shortId, "destroyed", 30_000);
    const gone = await envOf(shortId);
    expect(gone.destroyedBy).toBe("Corral (expiry)");
    expect(gone.destroyReason).toMatch(/^Expired: its time to live ended/);
    const audit = await world.db.auditEvent.findFirst({ where: { action: "environment.destroy", targetId: shortId } });
    expect(audit).toMatchObject({ actorId: null, via: "system" });
    expect(audit?.details).toMatchObject({ cause: "system: expiry" });
    const pinned = await envOf(pinnedId);
    expect(pinned).toMatchObject({ lifecycle: "active", expiresAt: null, pinnedBy: "life-lead@example.com" });
    expect(await world.db.notification.count({ where: { environmentId: pinnedId, kind: { in: ["expiring", "expired"] } } })).toBe(0);
  });

  it("destroys what stayed asleep longer than allowed, unless pinned", async () => {
    const settings = { maxTtlHours: 336, warnBeforeHours: 24, idleSleepHours: 3, asleepDestroyHours: 48, cpuHourPrice: 0.04, memoryGibHourPrice: 0.005, currency: "USD" };
    expect((await callRoute(routes.settings, { method: "PUT", headers: admin.headers, body: settings })).status).toBe(200);
    const id = await create("dozy", { components: [{ name: "web", image: "acme/web:1.0.0" }], ttlHours: 336 });
    await untilStatus(id, "ready", 30_000);
    expect((await callRoute(routes.sleep, { method: "POST", headers: owner.headers, params: { id } })).status).toBe(202);
    await untilStatus(id, "sleeping");
    const since = (await envOf(id)).asleepSince!;
    expect((await runLifecyclePass({ now: new Date(since.getTime() + 47 * HOUR) })).destroyedAsleep).not.toContain("dozy");
    const later = await runLifecyclePass({ now: new Date(since.getTime() + 49 * HOUR) });
    expect(later.destroyedAsleep).toContain("dozy");
    expect(later.destroyedAsleep).not.toContain("pinned-one");
    await untilStatus(id, "destroyed", 30_000);
    expect((await envOf(id)).destroyedBy).toBe("Corral (asleep too long)");
  });
});

async function pendingNotifyJobs(): Promise<number> {
  const rows = await world.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'lifecycle-notify' AND state IN ('created', 'retry', 'active')`);
  return Number(rows[0]!.n);
}
