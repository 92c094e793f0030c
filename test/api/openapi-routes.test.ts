import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { fieldErrors } from "@/lib/http/validation";
import { ROUTES, type RouteDoc, type RouteKey } from "@/lib/openapi/routes";
import { callRoute } from "../support/call-route";
import { signedIn } from "../support/sign-in";

// The API document is made from lib/openapi/routes.ts, not from the handlers: these checks
// hold the two together. Every handler under app/api is found on disk and must have an entry
// with the permission, success status and stream flag its withRoute declares; the schemas an
// entry names must be the ones the handler parses with (the same bad input gets the same
// field messages from both).

const API_DIR = path.resolve(import.meta.dirname, "../../app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Handler = ((request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>) & {
  permission?: Permission;
  status?: number;
  stream?: boolean;
  notAllowed?: true;
};

interface Served {
  key: RouteKey;
  file: string;
  handler: Handler;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [],
  );
}

const served: Served[] = [];
beforeAll(async () => {
  for (const file of routeFiles(API_DIR)) {
    const dir = path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/");
    // The catch-all only says "there is no API here" in the error shape.
    if (dir === "[...path]") continue;
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = mod[method] as Handler | undefined;
      if (typeof handler === "function" && !handler.notAllowed) {
        served.push({ key: `${method} /api/${dir.replace(/\[(\w+)\]/g, "{$1}")}` as RouteKey, file: path.relative(process.cwd(), file), handler });
      }
    }
  }
});

const entry = (key: RouteKey): RouteDoc | undefined => (ROUTES as Partial<Record<RouteKey, RouteDoc>>)[key];

describe("lib/openapi/routes.ts", () => {
  it("describes every route handler under app/api, with the permission, status and stream flag the handler declares", () => {
    expect(served.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const { key, file, handler } of served) {
      const doc = entry(key);
      if (!doc) {
        const hint = [`permission: ${JSON.stringify(handler.permission ?? null)}`, `ok: { status: ${handler.status ?? 200}, … }`, handler.stream ? "stream: true" : ""].filter(Boolean).join(", ");
        problems.push(`${key} (${file}) is not in lib/openapi/routes.ts: add "${key}": { summary, ${hint} }`);
        continue;
      }
      if ((handler.permission ?? null) !== doc.permission) {
        problems.push(`${key}: the handler needs ${JSON.stringify(handler.permission ?? null)}, lib/openapi/routes.ts says ${JSON.stringify(doc.permission)}`);
      }
      if (handler.status !== undefined && handler.status !== doc.ok.status) {
        problems.push(`${key}: the handler answers ${handler.status}, lib/openapi/routes.ts says ok.status ${doc.ok.status}`);
      }
      if ((handler.stream ?? false) !== (doc.stream ?? false)) {
        problems.push(`${key}: the handler ${handler.stream ? "is" : "is not"} a stream, lib/openapi/routes.ts says stream: ${doc.stream ?? false}`);
      }
      // The route's own one-line comment names the same method and path.
      const comment = new RegExp(`^// ${key.split(" ")[0]} ${key.split(" ")[1]!.replace(/\{(\w+)\}/g, ":$1").replace(/[.*+?^$()|[\]\\]/g, "\\$&")}[\\s?]`, "m");
      if (!comment.test(readFileSync(file, "utf8"))) problems.push(`${key}: ${file} has no "// ${key.replace(/\{(\w+)\}/g, ":$1")} – …" comment above its handler`);
    }
    const servedKeys = new Set(served.map((s) => s.key));
    for (const key of Object.keys(ROUTES) as RouteKey[]) {
      if (!servedKeys.has(key)) problems.push(`${key} is in lib/openapi/routes.ts but no route file serves it: remove the entry or fix its path`);
    }
    expect(problems).toEqual([]);
  });

  it("names the same body and query schemas the handlers parse with: the same bad input gets the same field messages from both", async () => {
    const admin = await signedIn("admin");
    let compared = 0;
    const problems: string[] = [];
    for (const { key, handler } of served) {
      const doc = entry(key);
      if (!doc || !doc.permission) continue;
      const [method, route] = key.split(" ") as [string, string];
      const params = Object.fromEntries([...route.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], "x"]));
      const probes: { what: string; schema: z.ZodType; input: Record<string, unknown>; path: string; body?: unknown }[] = [];
      if (doc.body) probes.push({ what: "body", schema: doc.body, input: {}, path: route, body: {} });
      if (doc.query) {
        // Every field the entry names, too long for any of them: each schema refuses each field in its own words.
        const input = Object.fromEntries(Object.keys(doc.query.shape).map((name) => [name, "9".repeat(5_000)]));
        probes.push({ what: "query", schema: doc.query, input, path: `${route}?${new URLSearchParams(input as Record<string, string>)}`, ...(method === "GET" ? {} : { body: {} }) });
      }
      for (const probe of probes) {
        const expected = probe.schema.safeParse(probe.input);
        if (expected.success) continue;
        const res = await callRoute(handler, { method, path: probe.path, params, ...(probe.body === undefined ? {} : { body: probe.body }), headers: admin.headers });
        compared++;
        const want = fieldErrors(expected.error);
        if (res.status !== 400) problems.push(`${key} (${probe.what}): the schema in lib/openapi/routes.ts refuses it, the handler answered ${res.status}`);
        else if (JSON.stringify(res.body.error.details) !== JSON.stringify(want)) {
          problems.push(`${key} (${probe.what}): the handler said ${JSON.stringify(res.body.error.details).slice(0, 200)}, the schema in lib/openapi/routes.ts says ${JSON.stringify(want).slice(0, 200)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(15);
  });
});
