import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getOne } from "@/app/api/v1/environments/[id]/route";
import { GET as list, POST as create } from "@/app/api/v1/environments/route";
import { db } from "@/lib/db/client";
import { callRoute } from "../support/call-route";
import { signedIn } from "../support/sign-in";

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

let dev: Awaited<ReturnType<typeof signedIn>>;
beforeAll(async () => {
  dev = await signedIn("developer");
});

async function post(body: unknown) {
  return callRoute(create, { method: "POST", path: "/api/v1/environments", body, headers: dev.headers });
}

describe("POST /api/v1/environments", () => {
  it("records a Provisioning environment with pinned components and answers 202", async () => {
    const name = unique("qa");
    const res = await post({ name, components: [{ name: "web", image: "nginx:1.27.3" }, { name: "api", image: "ghcr.io/acme/api@sha256:" + "a".repeat(64) }] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ name, status: "provisioning", owner: { email: dev.user.email } });
    const row = await db.environment.findUniqueOrThrow({ where: { liveName: name }, include: { components: true, history: true } });
    expect(row.components.map((c) => [c.name, c.repository, c.tag, c.digest]).sort()).toEqual([
      ["api", "ghcr.io/acme/api", null, "sha256:" + "a".repeat(64)],
      ["web", "nginx", "1.27.3", null],
    ]);
    expect(row.history).toHaveLength(1);
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it.each([
    ["Prod", /lower-case letters/],
    ["a".repeat(64), /at most 63 characters/],
    ["", /Name is required/],
    ["../x", /lower-case letters/],
    ["kube-system", /reserved for Kubernetes/],
    ["default", /reserved by Kubernetes/],
    ["-web", /start and end with a letter or digit/],
  ])("refuses the name %j with a message on the name field", async (name, message) => {
    const res = await post({ name, components: [{ name: "web", image: "nginx:1.27.3" }] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(res.body.error.details.name.join(" ")).toMatch(message);
    expect(await db.environment.count({ where: { name } })).toBe(0);
  });

  it.each([
    ["nginx:latest", /“latest” is not a pinned version/],
    ["nginx", /Pin a version/],
    ["UPPER/case:1", /lower case/],
    ["nginx@sha256:short", /digest is sha256/],
    ["nginx:bad tag", /no spaces/],
  ])("refuses the image %j with a message on the image field", async (image, message) => {
    const res = await post({ name: unique("img"), components: [{ name: "web", image }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details["components.0.image"].join(" ")).toMatch(message);
  });

  it("answers 409 for a name that is taken, and creates nothing more", async () => {
    const name = unique("dup");
    expect((await post({ name, components: [{ name: "web", image: "nginx:1.27.3" }] })).status).toBe(202);
    const again = await post({ name, components: [{ name: "web", image: "nginx:1.27.4" }] });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", details: { name: [expect.stringContaining("taken")] } });
    expect(await db.environment.count({ where: { name } })).toBe(1);
  });

  it("lets exactly one of 50 simultaneous creates of one name win, and enqueues one job", async () => {
    const name = unique("race");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => post({ name, components: [{ name: "web", image: "nginx:1.27.3" }] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([202, ...Array(49).fill(409)]);
    const env = await db.environment.findUniqueOrThrow({ where: { liveName: name } });
    const jobs = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE singleton_key = ${env.id}`;
    expect(Number(jobs[0]?.n)).toBe(1);
  });

  it("refuses duplicate component names, a missing component list and bad JSON", async () => {
    const dup = await post({ name: unique("c"), components: [{ name: "web", image: "a:1" }, { name: "web", image: "b:1" }] });
    expect(dup.body.error.details["components.1.name"]).toEqual(["Two components are named “web”."]);
    const none = await post({ name: unique("c") });
    expect(none.body.error.details.components).toEqual(["Add at least one component or choose a template."]);
    const bad = await callRoute(create, { method: "POST", rawBody: "{not json", headers: dev.headers });
    expect([bad.status, bad.body.error.code]).toEqual([400, "invalid_input"]);
    const wrongTypes = await post({ name: 42, components: "web" });
    expect(wrongTypes.status).toBe(400);
    expect(Object.keys(wrongTypes.body.error.details).sort()).toEqual(["components", "name"]);
  });

  it("creates from a template, with a version override by component name", async () => {
    const template = await db.template.create({
      data: {
        name: unique("tpl"),
        defaultTtlHours: 5,
        components: {
          create: [
            { name: "web", repository: "nginx", defaultTag: "1.27.3", port: 80, public: true },
            { name: "cache", repository: "redis", defaultTag: "7.2.5", port: 6379 },
          ],
        },
      },
    });
    const res = await post({ name: unique("t"), template: template.name, components: [{ name: "web", image: "nginx:1.27.4" }] });
    expect(res.status).toBe(202);
    const images = Object.fromEntries(res.body.components.map((c: { name: string; image: string }) => [c.name, c.image]));
    expect(images).toEqual({ cache: "redis:7.2.5", web: "nginx:1.27.4" });
    expect(res.body.components.find((c: { name: string }) => c.name === "web").public).toBe(true);
    const hours = (new Date(res.body.expiresAt).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(4.9);
    expect(hours).toBeLessThanOrEqual(5);

    const missing = await post({ name: unique("t"), template: "no-such-template" });
    expect([missing.status, missing.body.error.details.template]).toEqual([400, ["There is no template “no-such-template”."]]);
  });

  it("refuses a version for a component the template lacks, naming the ones it has; extra components are explicit", async () => {
    const template = await db.template.create({
      data: {
        name: unique("tpl"),
        components: { create: [{ name: "web", repository: "nginx", defaultTag: "1.27.3" }, { name: "api", repository: "acme/api", defaultTag: "2.0.0" }] },
      },
    });
    const before = await db.environment.count();
    const typo = await post({ name: unique("t"), template: template.name, components: [{ name: "apii", image: "acme/api:2.1.0" }] });
    expect(typo.status).toBe(400);
    expect(typo.body.error.details["components.0.name"]).toEqual([
      `The template “${template.name}” has no component “apii” (it has api, web). To run another component beside them, add it as an extra component.`,
    ]);
    const clash = await post({ name: unique("t"), template: template.name, extraComponents: [{ name: "api", image: "acme/api:2.1.0" }] });
    expect(clash.status).toBe(400);
    expect(clash.body.error.details["extraComponents.0.name"]).toEqual([expect.stringMatching(/“api” is already a component of the template/)]);
    expect(await db.environment.count()).toBe(before);

    const res = await post({
      name: unique("t"),
      template: template.name,
      components: [{ name: "api", image: "acme/api:2.1.0" }],
      extraComponents: [{ name: "cache", image: "redis:7.2.5" }],
    });
    expect(res.status).toBe(202);
    const images = Object.fromEntries(res.body.components.map((c: { name: string; image: string }) => [c.name, c.image]));
    expect(images).toEqual({ api: "acme/api:2.1.0", cache: "redis:7.2.5", web: "nginx:1.27.3" });
  });
});

describe("cloning", () => {
  it("copies the source's components at exactly their versions, with overrides by name", async () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const source = await post({ name: unique("src"), components: [{ name: "web", image: "nginx:1.27.3", port: 80 }, { name: "api", image: `acme/api@${digest}` }] });
    const clone = await post({ name: unique("clone"), cloneFrom: source.body.id, components: [{ name: "web", image: "nginx:1.27.4" }] });
    expect(clone.status).toBe(202);
    const images = Object.fromEntries(clone.body.components.map((c: { name: string; image: string }) => [c.name, c.image]));
    expect(images).toEqual({ api: `acme/api@${digest}`, web: "nginx:1.27.4" });
    expect(clone.body.components.find((c: { name: string }) => c.name === "web").port).toBe(80);

    const typo = await post({ name: unique("clone"), cloneFrom: source.body.id, components: [{ name: "wbe", image: "nginx:1.27.4" }] });
    expect(typo.body.error.details["components.0.name"]).toEqual([expect.stringMatching(/has no component “wbe” \(it has api, web\)/)]);

    const missing = await post({ name: unique("clone"), cloneFrom: "no-such-env" });
    expect([missing.status, missing.body.error.details.cloneFrom]).toEqual([400, ["There is no environment “no-such-env” to clone."]]);
  });
});

describe("GET /api/v1/environments", () => {
  it("pages newest first with a cursor, and filters by name, status and owner", async () => {
    const tag = randomBytes(3).toString("hex");
    for (let i = 0; i < 5; i++) await post({ name: `page-${tag}-${i}`, components: [{ name: "web", image: "nginx:1.27.3" }] });

    const first = await callRoute(list, { path: `/api/v1/environments?q=page-${tag}&limit=2`, headers: dev.headers });
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: { name: string }) => e.name)).toEqual([`page-${tag}-4`, `page-${tag}-3`]);
    const second = await callRoute(list, { path: `/api/v1/environments?q=page-${tag}&limit=2&cursor=${first.body.nextCursor}`, headers: dev.headers });
    expect(second.body.items.map((e: { name: string }) => e.name)).toEqual([`page-${tag}-2`, `page-${tag}-1`]);
    const third = await callRoute(list, { path: `/api/v1/environments?q=PAGE-${tag}&limit=2&cursor=${second.body.nextCursor}`, headers: dev.headers });
    expect(third.body.items.map((e: { name: string }) => e.name)).toEqual([`page-${tag}-0`]);
    expect(third.body.nextCursor).toBeNull();

    const mine = await callRoute(list, { path: `/api/v1/environments?q=page-${tag}&owner=me&status=provisioning`, headers: dev.headers });
    expect(mine.body.items).toHaveLength(5);
    const others = await callRoute(list, { path: `/api/v1/environments?q=page-${tag}&owner=someone@else.example`, headers: dev.headers });
    expect(others.body.items).toHaveLength(0);
    const ready = await callRoute(list, { path: `/api/v1/environments?q=page-${tag}&status=ready&status=failed`, headers: dev.headers });
    expect(ready.body.items).toHaveLength(0);
  });

  it("answers 400 with field messages for a bad query", async () => {
    const res = await callRoute(list, { path: "/api/v1/environments?limit=1000&status=bogus", headers: dev.headers });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details).sort()).toEqual(["limit", "status.0"]);
  });
});

describe("GET /api/v1/environments/:id", () => {
  it("returns the environment with its history, and 404 for an unknown id", async () => {
    const created = await post({ name: unique("one"), components: [{ name: "web", image: "nginx:1.27.3" }] });
    const res = await callRoute(getOne, { params: { id: created.body.id }, headers: dev.headers });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, history: [{ toStatus: "provisioning" }] });
    const missing = await callRoute(getOne, { params: { id: "nope" }, headers: dev.headers });
    expect([missing.status, missing.body.error.code]).toEqual([404, "not_found"]);
  });
});
