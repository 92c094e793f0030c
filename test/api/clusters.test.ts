import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as remove, PUT as update } from "@/app/api/v1/clusters/[id]/route";
import { GET as kubeEvents } from "@/app/api/v1/environments/[id]/kube-events/route";
import { GET as logs } from "@/app/api/v1/environments/[id]/logs/route";
import { GET as logDownload } from "@/app/api/v1/environments/[id]/logs/download/route";
import { POST as createEnv } from "@/app/api/v1/environments/route";
import { reconcileEnvironment } from "@/lib/environments/reconcile-environment";
import { GET as list, POST as create } from "@/app/api/v1/clusters/route";
import { db } from "@/lib/db/client";
import { callRoute } from "../support/call-route";
import { signedIn } from "../support/sign-in";

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

let admin: Awaited<ReturnType<typeof signedIn>>;
let dev: Awaited<ReturnType<typeof signedIn>>;
beforeAll(async () => {
  [admin, dev] = await Promise.all([signedIn("admin"), signedIn("developer")]);
  // The kubeconfig Corral runs with here: the contexts a cluster record may name.
  const dir = await mkdtemp(path.join(tmpdir(), "corral-clusters-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  const contexts = ["kind-eu", "ctx-a"];
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "kind-eu",
      clusters: contexts.map((name) => ({ name, cluster: { server: "http://127.0.0.1:9" } })),
      users: [{ name: "u", user: { token: "t" } }],
      contexts: contexts.map((name) => ({ name, context: { cluster: name, user: "u" } })),
    }),
  );
  process.env.KUBECONFIG = kubeconfig;
});

async function post(body: unknown, headers = admin.headers) {
  return callRoute(create, { method: "POST", path: "/api/v1/clusters", body, headers });
}

async function put(id: string, body: unknown, headers = admin.headers) {
  return callRoute(update, { method: "PUT", params: { id }, body, headers });
}

const defaultsAmong = async (ids: string[]) =>
  (await db.cluster.findMany({ where: { id: { in: ids }, isDefault: true }, select: { id: true } })).map((c) => c.id);

describe("POST /api/v1/clusters", () => {
  it("adds a cluster, answers 201 with ISO dates and lists it", async () => {
    const name = unique("eu");
    const res = await post({ name, kubeContext: " kind-eu ", ingressHost: "Ingress.EU.example.com.", dnsDomain: "Envs.Example.com.", urlPort: 8443 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name,
      kubeContext: "kind-eu",
      inCluster: false,
      ingressHost: "ingress.eu.example.com",
      dnsDomain: "envs.example.com",
      dnsZoneId: null,
      urlScheme: "https",
      urlPort: 8443,
      wakerUrl: null,
      ingressMetricsUrl: null,
      isDefault: false,
      environmentCount: 0,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    const listed = await callRoute(list, { headers: admin.headers });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(res.body);
    const audit = await db.auditEvent.findFirst({ where: { action: "cluster.create", targetId: res.body.id } });
    expect(audit).toMatchObject({ targetType: "cluster", outcome: "ok", details: { name, isDefault: false } });
  });

  it.each([
    [{ name: "EU" }, "name", /lower-case letters/],
    [{ name: "" }, "name", /Name is required/],
    [{ name: "a".repeat(64) }, "name", /at most 63 characters/],
    [{ ingressHost: "not a host" }, "ingressHost", /DNS name/],
    [{ ingressHost: "-bad.example.com" }, "ingressHost", /DNS name/],
    [{ ingressHost: "10.0.0.1, nope" }, "ingressHost", /IP addresses separated by commas/],
    [{ ingressHost: "alias:lower/elb.example.com" }, "ingressHost", /alias:<hosted zone id>/],
    [{ dnsDomain: "localhost" }, "dnsDomain", /zone's domain/],
    [{ dnsDomain: "envs.example.com", dnsZoneId: "not an id" }, "dnsZoneId", /Route 53's id/],
    [{ dnsZoneId: "Z123" }, "dnsDomain", /Give the zone's domain too/],
    [{ urlPort: 70000 }, "urlPort", /1 to 65535/],
    [{ inCluster: true, kubeContext: "kind-eu" }, "kubeContext", /clear one of the two/],
    [{ isDefault: "yes" }, "isDefault", /true or false/],
    [{ kubeContext: "nope" }, "kubeContext", /no context “nope”; it has “kind-eu”, “ctx-a”/],
    [{ kubeContext: "two\nlines" }, "kubeContext", /one line/],
  ])("refuses %j with a message on %s", async (change, field, message) => {
    const res = await post({ name: unique("bad"), ...change });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details)).toEqual([field]);
    expect(res.body.error.details[field].join(" ")).toMatch(message);
  });

  it("answers 409 for a name that is taken", async () => {
    const name = unique("dup");
    expect((await post({ name })).status).toBe(201);
    const again = await post({ name, inCluster: true });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", details: { name: [expect.stringContaining("is taken")] } });
    expect(await db.cluster.count({ where: { name } })).toBe(1);
  });

  it("is refused to a developer, for reading as well as adding", async () => {
    const name = unique("dev");
    const res = await post({ name }, dev.headers);
    expect([res.status, res.body.error.code]).toEqual([403, "forbidden"]);
    expect(await db.cluster.count({ where: { name } })).toBe(0);
    expect((await callRoute(list, { headers: dev.headers })).status).toBe(403);
  });
});

describe("PUT /api/v1/clusters/:id", () => {
  it("replaces the settings, answers 409 on a taken name, 404 for an unknown id and 403 to a developer", async () => {
    const a = await post({ name: unique("a"), kubeContext: "ctx-a" });
    const b = await post({ name: unique("b") });
    const res = await put(a.body.id, { name: a.body.name, inCluster: true, ingressHost: "apps.example.com" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: a.body.id, kubeContext: null, inCluster: true, ingressHost: "apps.example.com" });

    const clash = await put(a.body.id, { name: b.body.name });
    expect(clash.status).toBe(409);
    expect((await put("nope", { name: unique("x") })).status).toBe(404);
    expect((await put(a.body.id, { name: unique("x") }, dev.headers)).status).toBe(403);
    expect((await db.cluster.findUniqueOrThrow({ where: { id: a.body.id } })).name).toBe(a.body.name);
  });

  it("keeps one default cluster at a time", async () => {
    const first = await post({ name: unique("d1"), isDefault: true });
    const second = await post({ name: unique("d2") });
    const ids = [first.body.id, second.body.id];
    expect(await defaultsAmong(ids)).toEqual([first.body.id]);

    const made = await put(second.body.id, { name: second.body.name, isDefault: true });
    expect(made.body.isDefault).toBe(true);
    expect(await defaultsAmong(ids)).toEqual([second.body.id]);
    // The list puts the default first.
    expect((await callRoute(list, { headers: admin.headers })).body.items[0].id).toBe(second.body.id);

    // Saving the default again keeps it the default.
    await put(second.body.id, { name: second.body.name, ingressHost: "x.example.com", isDefault: true });
    expect(await defaultsAmong(ids)).toEqual([second.body.id]);

    const third = await post({ name: unique("d3"), isDefault: true });
    expect(await defaultsAmong([...ids, third.body.id])).toEqual([third.body.id]);
  });

  it("leaves exactly one default when several are made default at once", async () => {
    const clusters = await Promise.all(Array.from({ length: 5 }, () => post({ name: unique("race") })));
    const ids = clusters.map((c) => c.body.id as string);
    const results = await Promise.all(clusters.map((c) => put(c.body.id, { name: c.body.name, isDefault: true })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await defaultsAmong(ids)).toHaveLength(1);
  });
});

describe("DELETE /api/v1/clusters/:id", () => {
  it("removes a cluster with no live environment, refuses one that holds some, and 404s an unknown one", async () => {
    const empty = await post({ name: unique("empty"), kubeContext: "ctx-a" });
    const gone = await callRoute(remove, { method: "DELETE", params: { id: empty.body.id }, headers: admin.headers });
    expect(gone.status).toBe(200);
    expect(await db.cluster.count({ where: { id: empty.body.id } })).toBe(0);
    expect((await db.auditEvent.findFirst({ where: { action: "cluster.delete", targetId: empty.body.id } }))?.outcome).toBe("ok");

    const used = await post({ name: unique("used"), kubeContext: "ctx-a" });
    const env = await callRoute(createEnv, { method: "POST", body: { name: unique("on-used"), cluster: used.body.name, components: [{ name: "web", image: "nginx:1.27.3" }] }, headers: dev.headers });
    expect(env.status).toBe(202);
    const refused = await callRoute(remove, { method: "DELETE", params: { id: used.body.id }, headers: admin.headers });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/holds 1 live environment/);
    expect(await db.cluster.count({ where: { id: used.body.id } })).toBe(1);

    // Once its environments are destroyed it may go; their records stay.
    await db.environment.update({ where: { id: env.body.id }, data: { status: "destroyed", liveName: null } });
    expect((await callRoute(remove, { method: "DELETE", params: { id: used.body.id }, headers: admin.headers })).status).toBe(200);
    expect(await db.environment.count({ where: { id: env.body.id } })).toBe(1);

    expect((await callRoute(remove, { method: "DELETE", params: { id: "nope" }, headers: admin.headers })).status).toBe(404);
    expect((await callRoute(remove, { method: "DELETE", params: { id: used.body.id }, headers: dev.headers })).status).toBe(403);
  });
});

describe("a cluster whose kubeconfig context went away", () => {
  it("fails its environments with the reason in plain words, and reads answer 503 saying why", async () => {
    // Saved when the context existed; the kubeconfig changed since.
    const cluster = await db.cluster.create({ data: { name: unique("lost"), kubeContext: "vanished" } });
    const env = await callRoute(createEnv, { method: "POST", body: { name: unique("stuck"), cluster: cluster.name, components: [{ name: "web", image: "nginx:1.27.3" }] }, headers: dev.headers });
    expect(env.status).toBe(202);
    const { log } = await import("@/lib/log");
    await reconcileEnvironment(env.body.id, { lastAttempt: false, log, retryTransient: () => Promise.reject(new Error("a missing context is no transient failure")) });
    const row = await db.environment.findUniqueOrThrow({ where: { id: env.body.id } });
    expect(row.status).toBe("failed");
    expect(row.statusReason).toMatch(/kubeconfig context “vanished”, which Corral's kubeconfig does not have.*An admin must correct/);

    for (const [handler, what] of [[logs, "logs"], [logDownload, "log download"], [kubeEvents, "Kubernetes events"]] as const) {
      const res = await callRoute(handler, { params: { id: env.body.id }, path: "/x?component=web", headers: dev.headers });
      expect(res.status, what).toBe(503);
      expect(res.body.error.message, what).toMatch(/context “vanished”/);
    }
  });
});
