import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as createEnvironment } from "@/app/api/v1/environments/route";
import { DELETE as remove, GET as getOne, PUT as update } from "@/app/api/v1/templates/[id]/route";
import { GET as list, POST as create } from "@/app/api/v1/templates/route";
import { db } from "@/lib/db/client";
import { callRoute } from "../support/call-route";
import { signedIn } from "../support/sign-in";

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

let admin: Awaited<ReturnType<typeof signedIn>>;
let dev: Awaited<ReturnType<typeof signedIn>>;
beforeAll(async () => {
  [admin, dev] = await Promise.all([signedIn("admin"), signedIn("developer")]);
});

const web = { name: "web", repository: "nginx", defaultTag: "1.27.3", port: 80, replicas: 2, public: true };
const cache = { name: "cache", repository: "redis", defaultTag: "7.2.5", port: 6379 };

function validTemplate(overrides: Record<string, unknown> = {}) {
  return {
    name: unique("tpl"),
    description: "Web shop with its cache",
    defaultTtlHours: 48,
    quota: { "requests.cpu": "4", "limits.memory": "8Gi", pods: "20" },
    components: [
      { ...web, env: { LOG_LEVEL: "debug", _PRIVATE: "1" }, resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } } },
      cache,
    ],
    ...overrides,
  };
}

async function post(body: unknown, headers = admin.headers) {
  return callRoute(create, { method: "POST", path: "/api/v1/templates", body, headers });
}

async function put(id: string, body: unknown, headers = admin.headers) {
  return callRoute(update, { method: "PUT", params: { id }, body, headers });
}

/** The field messages of a 400, after checking it is one. */
async function refused(body: unknown) {
  const res = await post(body);
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("invalid_input");
  return res.body.error.details as Record<string, string[]>;
}

describe("POST /api/v1/templates", () => {
  it("creates a template with its components, answers 201 and records the change in the audit log", async () => {
    const input = validTemplate();
    const res = await post(input);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: input.name,
      description: "Web shop with its cache",
      defaultTtlHours: 48,
      quota: input.quota,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // Components come back by name, with defaults filled in.
    expect(res.body.components).toEqual([
      { id: expect.any(String), ...cache, replicas: 1, env: {}, resources: {}, public: false, persistent: false, startOrder: null },
      { id: expect.any(String), persistent: false, startOrder: null, ...input.components[0] },
    ]);

    const row = await db.template.findUniqueOrThrow({ where: { name: input.name }, include: { components: true } });
    expect(row.components.map((c) => [c.name, c.repository, c.defaultTag]).sort()).toEqual([
      ["cache", "redis", "7.2.5"],
      ["web", "nginx", "1.27.3"],
    ]);
    const audit = await db.auditEvent.findFirst({ where: { action: "template.create", targetId: res.body.id } });
    expect(audit).toMatchObject({ targetType: "template", outcome: "ok" });
  });

  it.each([
    ["Shop", /lower-case letters/],
    ["a".repeat(64), /at most 63 characters/],
    ["", /Name is required/],
    ["-shop", /start and end with a letter or digit/],
  ])("refuses the name %j with a message on the name field", async (name, message) => {
    const details = await refused(validTemplate({ name }));
    expect(details.name!.join(" ")).toMatch(message);
    expect(await db.template.count({ where: { name } })).toBe(0);
  });

  it.each([
    [{ defaultTag: "latest" }, "components.0.defaultTag", /“latest” is not a pinned version/],
    [{ defaultTag: "" }, "components.0.defaultTag", /A default tag is required/],
    [{ defaultTag: undefined }, "components.0.defaultTag", /A default tag is required/],
    [{ defaultTag: "1.0@sha256:" + "a".repeat(64) }, "components.0.defaultTag", /not a valid tag/],
    [{ repository: "nginx:1.27" }, "components.0.repository", /without a tag or digest/],
    [{ repository: "UPPER/case" }, "components.0.repository", /lower case/],
    [{ repository: "" }, "components.0.repository", /Repository is required/],
    [{ name: "Web" }, "components.0.name", /Component name may use lower-case letters/],
    [{ port: 70000 }, "components.0.port", /from 1 to 65535/],
    [{ replicas: 21 }, "components.0.replicas", /from 0 to 20/],
    [{ env: { "BAD-KEY": "x", "1ST": "y" } }, "components.0.env", /“BAD-KEY”, “1ST” are not valid names/],
    [{ env: { GOOD: 1 } }, "components.0.env.GOOD", /Values of env vars are strings/],
    [{ resources: { requests: { cpu: "lots" } } }, "components.0.resources.requests.cpu", /CPU is a quantity such as 250m/],
    [{ resources: { limits: { memory: "1 GB" } } }, "components.0.resources.limits.memory", /Memory is a quantity such as 256Mi/],
    [{ resources: { requests: { gpu: "1" } } }, "components.0.resources.requests", /Only cpu and memory/],
    [{ resources: { requests: { cpu: "2" }, limits: { cpu: "500m" } } }, "components.0.resources.requests.cpu", /above the limit/],
  ])("refuses the component field %j with a message on %s", async (change, field, message) => {
    const details = await refused(validTemplate({ components: [{ ...web, ...change }] }));
    expect(Object.keys(details)).toEqual([field]);
    expect(details[field]!.join(" ")).toMatch(message);
  });

  it.each([
    [{ quota: { "requests.cpu": "four" } }, "quota.requests.cpu", /“four” is not a quantity/],
    [{ quota: { "requests cpu": "4" } }, "quota.requests cpu", /not a resource name/],
    [{ quota: { pods: 20 } }, "quota.pods", /Quota values are quantities written as strings/],
    [{ defaultTtlHours: 0 }, "defaultTtlHours", /from 1 to 2160/],
    [{ defaultTtlHours: 2161 }, "defaultTtlHours", /from 1 to 2160/],
    [{ components: [] }, "components", /Add at least one component/],
    [{ components: undefined }, "components", /Add at least one component/],
  ])("refuses the template field %j with a message on %s", async (change, field, message) => {
    const details = await refused(validTemplate(change));
    expect(Object.keys(details)).toEqual([field]);
    expect(details[field]!.join(" ")).toMatch(message);
  });

  it("refuses duplicate component names with a message on the second one", async () => {
    const details = await refused(validTemplate({ components: [web, cache, { ...cache, defaultTag: "7.4.0" }] }));
    expect(details).toEqual({ "components.2.name": ["Two components are named “cache”."] });
  });

  it("answers 409 for a name that is taken, and creates nothing more", async () => {
    const input = validTemplate();
    expect((await post(input)).status).toBe(201);
    const again = await post({ ...input, description: "another" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", details: { name: [expect.stringContaining("is taken")] } });
    expect(await db.template.count({ where: { name: input.name } })).toBe(1);
  });

  it("is refused to a developer, who may still read templates", async () => {
    const input = validTemplate();
    const res = await post(input, dev.headers);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(await db.template.count({ where: { name: input.name } })).toBe(0);
    expect((await callRoute(list, { headers: dev.headers })).status).toBe(200);
  });
});

describe("GET /api/v1/templates and /api/v1/templates/:id", () => {
  it("lists templates by name and returns one by id, and 404 for an unknown id", async () => {
    const created = await post(validTemplate());
    const listed = await callRoute(list, { headers: dev.headers });
    expect(listed.status).toBe(200);
    const item = listed.body.items.find((t: { id: string }) => t.id === created.body.id);
    expect(item).toEqual(created.body);
    const names = listed.body.items.map((t: { name: string }) => t.name);
    expect(names).toEqual([...names].sort());

    const one = await callRoute(getOne, { params: { id: created.body.id }, headers: dev.headers });
    expect([one.status, one.body]).toEqual([200, created.body]);
    const missing = await callRoute(getOne, { params: { id: "nope" }, headers: dev.headers });
    expect([missing.status, missing.body.error.code]).toEqual([404, "not_found"]);
  });
});

describe("PUT /api/v1/templates/:id", () => {
  it("replaces the fields and the set of components, and new environments get the new versions", async () => {
    const created = await post(validTemplate());
    const name = unique("renamed");
    const res = await put(created.body.id, {
      name,
      defaultTtlHours: 12,
      components: [{ ...web, defaultTag: "1.27.4" }, { name: "api", repository: "ghcr.io/acme/api", defaultTag: "2.0.1" }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, name, description: "", defaultTtlHours: 12, quota: {} });
    expect(res.body.components.map((c: { name: string; defaultTag: string }) => `${c.name}:${c.defaultTag}`)).toEqual(["api:2.0.1", "web:1.27.4"]);
    expect(await db.templateComponent.count({ where: { templateId: created.body.id } })).toBe(2);

    const env = await callRoute(createEnvironment, { method: "POST", body: { name: unique("from-tpl"), template: name }, headers: dev.headers });
    expect(env.status).toBe(202);
    expect(env.body.components.map((c: { image: string }) => c.image)).toEqual(["ghcr.io/acme/api:2.0.1", "nginx:1.27.4"]);
  });

  it("keeps the template as it was when the new version is refused", async () => {
    const created = await post(validTemplate());
    const res = await put(created.body.id, { ...validTemplate({ name: created.body.name }), components: [{ ...web, defaultTag: "latest" }] });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details)).toEqual(["components.0.defaultTag"]);
    const after = await callRoute(getOne, { params: { id: created.body.id }, headers: admin.headers });
    expect(after.body).toEqual(created.body);
  });

  it("answers 409 when renamed onto another template's name, 404 for an unknown id, 403 to a developer", async () => {
    const a = await post(validTemplate());
    const b = await post(validTemplate());
    const clash = await put(b.body.id, validTemplate({ name: a.body.name }));
    expect(clash.status).toBe(409);
    expect(clash.body.error.details.name[0]).toMatch(/is taken/);
    // The failed rename left b's components in place: the transaction rolled back.
    expect(await db.templateComponent.count({ where: { templateId: b.body.id } })).toBe(2);

    expect((await put("nope", validTemplate())).status).toBe(404);
    const forbidden = await put(a.body.id, validTemplate({ name: a.body.name, description: "changed" }), dev.headers);
    expect(forbidden.status).toBe(403);
    expect((await db.template.findUniqueOrThrow({ where: { id: a.body.id } })).description).toBe("Web shop with its cache");
  });
});

describe("DELETE /api/v1/templates/:id", () => {
  it("deletes a template in use; its environments keep their components and lose only the link", async () => {
    const created = await post(validTemplate());
    const env = await callRoute(createEnvironment, { method: "POST", body: { name: unique("in-use"), template: created.body.name }, headers: dev.headers });
    expect(env.status).toBe(202);

    expect((await callRoute(remove, { method: "DELETE", params: { id: created.body.id }, headers: dev.headers })).status).toBe(403);
    const res = await callRoute(remove, { method: "DELETE", params: { id: created.body.id }, headers: admin.headers });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: created.body.id, name: created.body.name });

    expect(await db.template.count({ where: { id: created.body.id } })).toBe(0);
    expect(await db.templateComponent.count({ where: { templateId: created.body.id } })).toBe(0);
    const row = await db.environment.findUniqueOrThrow({ where: { id: env.body.id }, include: { components: true } });
    expect(row.templateId).toBeNull();
    expect(row.components).toHaveLength(2);

    const again = await callRoute(remove, { method: "DELETE", params: { id: created.body.id }, headers: admin.headers });
    expect([again.status, again.body.error.code]).toEqual([404, "not_found"]);
    const audit = await db.auditEvent.findFirst({ where: { action: "template.delete", targetId: created.body.id, outcome: "ok" } });
    expect(audit).not.toBeNull();
  });
});
