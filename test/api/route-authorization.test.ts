import { readdirSync } from "node:fs";
import path from "node:path";
import type { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { can, type Permission } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/db/generated/enums";
import { callRoute } from "../support/call-route";
import { signedIn } from "../support/sign-in";

// Every route handler under app/api, found on disk, so a new route cannot skip authorization.
const API_DIR = path.resolve(import.meta.dirname, "../../app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
// The only routes anyone may call: liveness, readiness, signing in or out, the API's description,
// and the waker a sleeping environment's names lead to (anyone who can reach a name may wake it).
const PUBLIC = [/^\/api\/healthz$/, /^\/api\/readyz$/, /^\/api\/auth\//, /^\/api\/\[\.\.\.path\]$/, /^\/api\/v1\/openapi\.json$/, /^\/api\/waker\//];

type Handler = ((request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>) & {
  permission?: Permission;
  notAllowed?: true;
};

interface RouteCase {
  route: string;
  method: (typeof METHODS)[number];
  handler: Handler;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [],
  );
}

// The methods each route serves, and the handlers of those it does not (405 with Allow).
const cases: RouteCase[] = [];
const refusals: RouteCase[] = [];
const missing: string[] = [];
beforeAll(async () => {
  for (const file of routeFiles(API_DIR)) {
    const route = `/api/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/")}`;
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = mod[method] as Handler | undefined;
      if (typeof handler !== "function") missing.push(`${method} ${route}`);
      else (handler.notAllowed ? refusals : cases).push({ route, method, handler });
    }
  }
});

const bodyFor = (method: string) => (method === "GET" ? undefined : {});
const isPublic = (route: string) => PUBLIC.some((p) => p.test(route));
const params = (route: string) => Object.fromEntries([...route.matchAll(/\[(\w+)\]/g)].map((m) => [m[1], "x"]));

describe("every route handler under app/api", () => {
  it("is found (the enumeration itself works)", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(cases.map((c) => `${c.method} ${c.route}`)).toContain("POST /api/v1/environments");
  });

  it("answers 401 without credentials, except health and sign-in", async () => {
    const failures: string[] = [];
    for (const c of cases.filter((c) => !isPublic(c.route))) {
      const res = await callRoute(c.handler, { method: c.method, path: c.route, params: params(c.route), body: bodyFor(c.method) });
      if (res.status !== 401 || res.body.error?.code !== "unauthenticated") failures.push(`${c.method} ${c.route} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("declares a permission on every non-public handler", () => {
    const undeclared = cases.filter((c) => !isPublic(c.route) && !c.handler.permission).map((c) => `${c.method} ${c.route}`);
    expect(undeclared).toEqual([]);
  });

  it("answers 403 to every role that lacks the handler's permission, and changes nothing", async () => {
    const roles: Role[] = ["developer", "qa", "lead", "admin"];
    const sessions = Object.fromEntries(await Promise.all(roles.map(async (r) => [r, await signedIn(r)] as const)));
    let checked = 0;
    const failures: string[] = [];
    for (const c of cases.filter((c) => c.handler.permission)) {
      for (const role of roles.filter((r) => !can(r, c.handler.permission!))) {
        const res = await callRoute(c.handler, { method: c.method, path: c.route, params: params(c.route), body: bodyFor(c.method), headers: sessions[role]!.headers });
        checked++;
        if (res.status !== 403) failures.push(`${c.method} ${c.route} as ${role} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(0);
    // Refused means refused: none of these people got anything done.
    const ids = Object.values(sessions).map((s) => s.user.id);
    expect(await db.auditEvent.count({ where: { actorId: { in: ids }, outcome: "ok" } })).toBe(0);
    expect(await db.environment.count({ where: { ownerId: { in: ids } } })).toBe(0);
    expect(await db.apiToken.count({ where: { userId: { in: ids } } })).toBe(0);
  });
});

describe("methods a route does not serve", () => {
  it("answer 405 in the error shape with Allow naming the methods it does serve, in every route file", async () => {
    expect(missing).toEqual([]);
    expect(refusals.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const c of refusals) {
      const res = await callRoute(c.handler, { method: c.method, path: c.route });
      const served = cases.filter((s) => s.route === c.route).map((s) => s.method);
      const allow = (res.headers.get("allow") ?? "").split(/,\s*/);
      if (res.status !== 405 || res.body.error?.code !== "method_not_allowed" || !res.body.error?.message) failures.push(`${c.method} ${c.route} → ${res.status}`);
      else if (served.some((m) => !allow.includes(m)) || allow.includes(c.method)) failures.push(`${c.method} ${c.route} → Allow: ${allow.join(", ")}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("bad input to every route handler", () => {
  it("never yields a 500: malformed JSON, wrong types, unknown ids and nonsense query values get a 4xx in the error shape", async () => {
    const admin = await signedIn("admin");
    // An id query value too long for any schema, so the change-event stream answers 400 rather than streaming.
    const query = `?limit=abc&cursor=%00%01&status=nope&from=yesterday&tailLines=-5&since=never&id=${"z".repeat(100)}&pod=Bad_Pod`;
    const failures: string[] = [];
    // Readiness answers 503 when a dependency is down: that is its meaning, not a failure.
    for (const c of cases.filter((c) => c.route !== "/api/readyz")) {
      const bodies = c.method === "GET" ? [undefined] : ["{not json", JSON.stringify({ name: 42, components: "web", scopes: "all", image: ["x"] }), JSON.stringify([])];
      for (const rawBody of bodies) {
        const res = await callRoute(c.handler, {
          method: c.method,
          path: `${c.route.replace(/\[(?:\.\.\.)?(\w+)\]/g, "nope")}${query}`,
          params: params(c.route),
          ...(rawBody === undefined ? {} : { rawBody }),
          headers: admin.headers,
        });
        if (res.status >= 500) failures.push(`${c.method} ${c.route} ${rawBody ?? ""} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        else if (res.status >= 400 && !res.headers.get("content-type")?.includes("json")) failures.push(`${c.method} ${c.route} → ${res.status} without the error shape`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("the text rule on every route's string inputs", () => {
  // Every string field any route reads, each set to the same bad value at once.
  const FIELDS = [
    "name", "template", "cloneFrom", "cluster", "description", "kubeContext", "ingressHost", "image", "repository", "defaultTag",
    "role", "q", "owner", "cursor", "actor", "action", "targetType", "targetId", "outcome", "from", "to", "component", "pod",
    "container", "id", "returnTo", "since", "until", "status",
  ];
  const BAD: [string, string][] = [
    ["NUL", "a\u0000b"],
    ["a lone surrogate", "a\ud800b"],
    ["a control character", "a\u001bb"],
    ["a bell", "\u0007"],
    ["an overlong value", "x".repeat(20_000)],
  ];

  it.each(BAD)("answers 4xx, never 500, to %s in every body field, query value and path id", async (_label, bad) => {
    const admin = await signedIn("admin");
    const control = bad.length < 100;
    const failures: string[] = [];
    const body = JSON.stringify({
      ...Object.fromEntries(FIELDS.map((f) => [f, bad])),
      components: [{ name: bad, image: bad, repository: bad, defaultTag: bad, env: { K: bad } }],
      scopes: [bad],
      quota: { [bad.slice(0, 300)]: bad },
    });
    // A URL cannot carry a lone surrogate (its bytes decode to U+FFFD, which is fine text): that one goes in bodies and ids only.
    const query = /[\ud800-\udfff]/.test(bad) ? "" : `?${FIELDS.map((f) => `${f}=${encodeURIComponent(bad)}`).join("&")}`;
    // Not sign-out: it would end the admin's session, and every later route would answer 401.
    for (const c of cases.filter((c) => c.route !== "/api/readyz" && c.route !== "/api/auth/sign-out")) {
      const badParams = Object.fromEntries(Object.keys(params(c.route)).map((k) => [k, bad]));
      const attempts = [
        // A GET with nothing bad in its query would just answer (or stream): nothing to try there.
        ...(c.method === "GET" && query === ""
          ? []
          : [{ what: "body and query", path: `${c.route.replace(/\[(?:\.\.\.)?(\w+)\]/g, "nope")}${query}`, params: params(c.route), rawBody: c.method === "GET" ? undefined : body }]),
        ...(Object.keys(badParams).length > 0 ? [{ what: "path", path: c.route, params: badParams, rawBody: undefined }] : []),
      ];
      for (const a of attempts) {
        const res = await callRoute(c.handler, { method: c.method, path: a.path, params: a.params, ...(a.rawBody === undefined ? {} : { rawBody: a.rawBody }), headers: admin.headers });
        if (res.status >= 500) failures.push(`${c.method} ${c.route} (${a.what}) → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        else if (a.what === "path" && control && res.status !== 400) failures.push(`${c.method} ${c.route} (bad id) → ${res.status}, not 400`);
        else if (res.status === 400 && (typeof res.body.error?.details !== "object" || Object.keys(res.body.error.details).length === 0)) failures.push(`${c.method} ${c.route} → 400 naming no field`);
      }
    }
    expect(failures).toEqual([]);
    // Every route above was tried signed in.
    expect((await callRoute(me, { headers: admin.headers })).status).toBe(200);
  });

  it("names the field that holds the bad character, and changes nothing", async () => {
    const dev = await signedIn("developer");
    const { POST: createEnv } = await import("@/app/api/v1/environments/route");
    const name = `nul-${Date.now().toString(36)}`;
    const res = await callRoute(createEnv, { method: "POST", body: { name, components: [{ name: "web", image: "nginx:1.27.3\u0000" }] }, headers: dev.headers });
    expect(res.status).toBe(400);
    expect(res.body.error.details["components.0.image"][0]).toMatch(/control character \(U\+0000\)/);
    expect(await db.environment.count({ where: { name } })).toBe(0);
  });
});
