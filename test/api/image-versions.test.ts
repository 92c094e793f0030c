import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/image-versions/route";
import { db } from "@/lib/db/client";
import { imageVersionsSchema } from "@/lib/image-versions/schemas";
import { sandboxRegistryCredentials, startSandbox } from "@/sandbox/index";
import { callRoute } from "../support/call-route";
import { freePort } from "../support/free-port";
import { pushTag } from "../support/registry";
import { signedIn } from "../support/sign-in";

// GET /api/v1/image-versions against the sandbox's registry (token auth on, small pages) and
// this file's own templates and environments. CORRAL_REGISTRIES is set before anything reads
// the configuration, as `npm start` sets it from the sandbox's registry.env.
const sandbox = await startSandbox({ registry: { auth: true, maxPageSize: 2 } });
const downPort = await freePort();
process.env.CORRAL_REGISTRIES = JSON.stringify({
  ...(JSON.parse(sandbox.registryEnv.CORRAL_REGISTRIES!) as object),
  "registry.down.test": { url: `http://127.0.0.1:${downPort}` },
  "registry.wrong.test": { url: sandbox.registry.url, username: "corral", password: "wrong-password-41c9" },
});

const suffix = randomBytes(3).toString("hex");
const HOST = sandbox.registry.host;
const CART = `${HOST}/shop/cart-${suffix}`;

let dev: Awaited<ReturnType<typeof signedIn>>;
beforeAll(async () => {
  dev = await signedIn("developer");
  for (const tag of ["1.0.0", "1.2.1", "1.10.0", "2.0.0-rc.1", "latest", "main"]) await pushTag(sandbox.registry.url, `shop/cart-${suffix}`, tag, sandboxRegistryCredentials);
});
afterAll(() => sandbox.stop());

async function versionsOf(repository: string) {
  return callRoute(GET, { path: `/api/v1/image-versions?repository=${encodeURIComponent(repository)}`, headers: dev.headers });
}

async function template(name: string, repository: string, defaultTag: string) {
  return db.template.create({ data: { name: `${name}-${suffix}`, components: { create: [{ name: "cart", repository, defaultTag }] } } });
}

async function environment(name: string, components: { name: string; repository: string; tag: string }[], lifecycle: "active" | "destroyed" = "active", createdAt = new Date()) {
  const liveName = lifecycle === "destroyed" ? null : `${name}-${suffix}`;
  return db.environment.create({ data: { name: `${name}-${suffix}`, liveName, ownerId: dev.user.id, lifecycle, createdAt, components: { create: components } } });
}

describe("GET /api/v1/image-versions", () => {
  it("merges templates' defaults, live environments' versions and the registry's tags, newest first, with their sources", async () => {
    await template("shop", CART, "1.2.1");
    await template("shop-hotfix", CART, "1.1.0-hotfix");
    // Seven live environments run 1.2.1, one of them in two components; one runs 1.0.0; a destroyed one ran 0.9.0.
    const t0 = Date.now() - 60_000;
    for (let i = 1; i <= 7; i++) {
      const components = [{ name: "cart", repository: CART, tag: "1.2.1" }, ...(i === 7 ? [{ name: "cart-canary", repository: CART, tag: "1.2.1" }] : [])];
      await environment(`pr-${i}`, components, "active", new Date(t0 + i * 1000));
    }
    await environment("qa-old", [{ name: "cart", repository: CART, tag: "1.0.0" }]);
    await environment("gone", [{ name: "cart", repository: CART, tag: "0.9.0" }], "destroyed");

    const res = await versionsOf(CART);
    expect(res.status).toBe(200);
    expect(imageVersionsSchema.parse(res.body)).toEqual(res.body);
    expect(res.body.repository).toBe(CART);
    expect(res.body.registry).toEqual({ status: "ok" });
    const names = (...ns: string[]) => ns.map((n) => `${n}-${suffix}`);
    expect(res.body.versions).toEqual([
      { tag: "2.0.0-rc.1", sources: ["registry"], templates: [], environments: [], environmentCount: 0 },
      { tag: "1.10.0", sources: ["registry"], templates: [], environments: [], environmentCount: 0 },
      { tag: "1.2.1", sources: ["template", "environment", "registry"], templates: names("shop"), environments: names("pr-7", "pr-6", "pr-5", "pr-4", "pr-3"), environmentCount: 7 },
      { tag: "1.1.0-hotfix", sources: ["template"], templates: names("shop-hotfix"), environments: [], environmentCount: 0 },
      { tag: "1.0.0", sources: ["environment", "registry"], templates: [], environments: names("qa-old"), environmentCount: 1 },
      { tag: "main", sources: ["registry"], templates: [], environments: [], environmentCount: 0 },
    ]);
  });

  it("still answers what Corral knows when the registry is down, with the reason", async () => {
    const repository = `registry.down.test/shop/cart-${suffix}`;
    await template("down", repository, "3.1.0");
    const res = await versionsOf(repository);
    expect(res.status).toBe(200);
    expect(res.body.registry).toEqual({ status: "unreachable", message: `the registry registry.down.test could not be reached: nothing answers at http://127.0.0.1:${downPort}` });
    expect(res.body.versions).toEqual([{ tag: "3.1.0", sources: ["template"], templates: [`down-${suffix}`], environments: [], environmentCount: 0 }]);
  });

  it("says when the registry refuses the credentials or has no such repository", async () => {
    const refused = await versionsOf(`registry.wrong.test/shop/web`);
    expect(refused.body.registry).toEqual({ status: "refused", message: "the registry registry.wrong.test refused the credentials" });
    expect(JSON.stringify(refused.body)).not.toContain("wrong-password-41c9");

    const missing = await versionsOf(`${HOST}/shop/none-${suffix}`);
    expect(missing.body).toEqual({
      repository: `${HOST}/shop/none-${suffix}`,
      versions: [],
      registry: { status: "not-found", message: `the registry ${HOST} has no repository shop/none-${suffix}` },
    });
  });

  it("asks no registry that neither an admin set up nor a template uses, so nobody can make Corral call any host", async () => {
    const probe = await new Promise<{ port: number; hits: () => number; close: () => void }>((resolve) => {
      let hits = 0;
      const server = createServer((_req, res) => {
        hits++;
        res.end();
      }).listen(0, "127.0.0.1", () => resolve({ port: (server.address() as { port: number }).port, hits: () => hits, close: () => server.close() }));
    });
    try {
      const res = await versionsOf(`127.0.0.1:${probe.port}/internal/thing`);
      expect(res.status).toBe(200);
      expect(res.body.registry).toEqual({ status: "not-asked", message: `Corral asks only registries an admin set up or a template uses; 127.0.0.1:${probe.port} is neither.` });
      expect(probe.hits()).toBe(0);
    } finally {
      probe.close();
    }
  });

  it("answers 400 naming the repository field when it is missing or not a repository", async () => {
    const cases: [string, RegExp][] = [
      ["", /Repository is required/],
      ["?repository=", /Repository is required/],
      [`?repository=${encodeURIComponent(`${HOST}/shop/web:1.2.1`)}`, /without a tag or digest/],
      ["?repository=Shop/Web", /lower case/],
      [`?repository=${encodeURIComponent("shop/web@sha256:abc")}`, /without a tag or digest/],
      ["?repository=shop//web", /missing a part/],
    ];
    for (const [query, message] of cases) {
      const res = await callRoute(GET, { path: `/api/v1/image-versions${query}`, headers: dev.headers });
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: "invalid_input" });
      expect(res.body.error.details.repository?.[0]).toMatch(message);
    }
  });
});
