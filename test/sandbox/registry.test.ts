import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, SEED_TAGS, sandboxRegistryCredentials, startSandbox } from "@/sandbox/index";
import { pushTag } from "../support/registry";
import { run, skipReason } from "./helpers";

// The sandbox's registry on the wire, as the OCI distribution spec has it, and with skopeo.

const OCI = "application/vnd.oci.image.manifest.v1+json";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let sandbox: Sandbox;
let secured: Sandbox;
beforeAll(async () => {
  [sandbox, secured] = await Promise.all([startSandbox({ registry: { maxPageSize: 3 } }), startSandbox({ registry: { auth: true, maxPageSize: 3 } })]);
});
afterAll(async () => {
  await Promise.all([sandbox?.stop(), secured?.stop()]);
});

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : null };
}

async function token(scope: string, credentials = sandboxRegistryCredentials) {
  const res = await get(`${secured.registry.url}/token?service=${secured.registry.host}&scope=${encodeURIComponent(scope)}`, { authorization: basic(credentials.username, credentials.password) });
  return res;
}

describe("the distribution API", () => {
  it("answers the version check and lists tags a page at a time, with Link to the next", async () => {
    const version = await get(`${sandbox.registry.url}/v2/`);
    expect(version.status).toBe(200);
    expect(version.headers.get("docker-distribution-api-version")).toBe("registry/2.0");

    const tags: string[] = [];
    let next: string | null = "/v2/shop/api/tags/list?n=2";
    let pages = 0;
    while (next) {
      const res = await get(`${sandbox.registry.url}${next}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: "shop/api" });
      tags.push(...(res.body!.tags as string[]));
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
      pages++;
    }
    expect(tags).toEqual([...SEED_TAGS["shop/api"]!].sort());
    expect(pages).toBe(5);
    // No n: the server's own page size (3 here); n above it is capped; n=0 is an empty page.
    expect((await get(`${sandbox.registry.url}/v2/shop/api/tags/list`)).body!.tags).toHaveLength(3);
    expect((await get(`${sandbox.registry.url}/v2/shop/api/tags/list?n=50&last=2.0.0-rc.1`)).body!.tags).toEqual(["2.0.0-rc.2", "latest"]);
    expect((await get(`${sandbox.registry.url}/v2/shop/api/tags/list?n=0`)).body!.tags).toEqual([]);
  });

  it("answers errors in the spec's form", async () => {
    const cases: [string, number, string][] = [
      ["/v2/shop/nope/tags/list", 404, "NAME_UNKNOWN"],
      ["/v2/shop/web/manifests/9.9.9", 404, "MANIFEST_UNKNOWN"],
      ["/v2/Shop/Web/tags/list", 400, "NAME_INVALID"],
      ["/v2/shop/web/tags/list?n=many", 400, "PAGINATION_NUMBER_INVALID"],
      ["/v2/shop/web/blobs/sha256:" + "0".repeat(64), 405, "UNSUPPORTED"],
    ];
    for (const [url, status, code] of cases) {
      const res = await get(`${sandbox.registry.url}${url}`);
      expect({ url, status: res.status, code: res.body?.errors?.[0]?.code }).toEqual({ url, status, code });
      expect(res.body!.errors[0].message).toEqual(expect.any(String));
    }
  });

  it("takes an OCI image manifest by PUT, answers its digest, and serves it by tag and by digest", async () => {
    const digest = await pushTag(sandbox.registry.url, "team/new-app", "0.1.0");
    expect((await get(`${sandbox.registry.url}/v2/team/new-app/tags/list`)).body).toEqual({ name: "team/new-app", tags: ["0.1.0"] });

    const head = await fetch(`${sandbox.registry.url}/v2/team/new-app/manifests/0.1.0`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("docker-content-digest")).toBe(digest);
    expect(head.headers.get("content-type")).toBe(OCI);
    const byDigest = await fetch(`${sandbox.registry.url}/v2/team/new-app/manifests/${digest}`);
    const body = await byDigest.text();
    expect(`sha256:${createHash("sha256").update(body).digest("hex")}`).toBe(digest);

    const put = (body: string, contentType = OCI) => fetch(`${sandbox.registry.url}/v2/team/new-app/manifests/0.2.0`, { method: "PUT", body, headers: { "content-type": contentType } });
    for (const [bad, contentType] of [["{nope", OCI], [JSON.stringify({ schemaVersion: 2, layers: [] }), OCI], [body, "application/json"]] as const) {
      const res = await put(bad, contentType);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe("MANIFEST_INVALID");
    }
  });
});

describe("token auth", () => {
  it("challenges with realm, service and scope; a token from basic credentials lets the pull through", async () => {
    const denied = await get(`${secured.registry.url}/v2/shop/web/tags/list`);
    expect(denied.status).toBe(401);
    expect(denied.body!.errors[0].code).toBe("UNAUTHORIZED");
    expect(denied.headers.get("www-authenticate")).toBe(
      `Bearer realm="${secured.registry.url}/token",service="registry.sandbox.corral.test",scope="repository:shop/web:pull"`,
    );
    const granted = await token("repository:shop/web:pull");
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token: expect.any(String), expires_in: 300 });
    const listed = await get(`${secured.registry.url}/v2/shop/web/tags/list`, { authorization: `Bearer ${granted.body!.token}` });
    expect(listed.status).toBe(200);
  });

  it("refuses wrong credentials, other repositories and pushes with a pull token", async () => {
    const wrong = await token("repository:shop/web:pull", { username: "corral", password: "wrong" });
    expect(wrong.status).toBe(401);
    expect(wrong.body!.errors[0].message).toBe("incorrect username or password");

    const pullOnly = (await token("repository:shop/web:pull")).body!.token as string;
    const other = await get(`${secured.registry.url}/v2/shop/api/tags/list`, { authorization: `Bearer ${pullOnly}` });
    expect(other.status).toBe(401);
    expect(other.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    const push = await fetch(`${secured.registry.url}/v2/shop/web/manifests/9.0.0`, { method: "PUT", body: "{}", headers: { authorization: `Bearer ${pullOnly}`, "content-type": OCI } });
    expect(push.status).toBe(401);
    expect(push.headers.get("www-authenticate")).toContain('scope="repository:shop/web:pull,push"');
    // With push granted, the tag goes in.
    await pushTag(secured.registry.url, "shop/web", "9.0.0", sandboxRegistryCredentials);
  });
});

describe("faults and state", () => {
  it("answers 429s and 503s in the spec's form when the control port says so", async () => {
    const control = (body: unknown) => fetch(`${sandbox.control.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify(body) });
    try {
      await control({ service: "registry", throttleRate: 1 });
      const throttled = await get(`${sandbox.registry.url}/v2/shop/web/tags/list`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get("retry-after")).toBe("1");
      expect(throttled.body!.errors[0].code).toBe("TOOMANYREQUESTS");
      await control({ service: "registry", errorRate: 1 });
      const down = await get(`${sandbox.registry.url}/v2/shop/web/tags/list`);
      expect(down.status).toBe(503);
      expect(down.body!.errors[0].code).toBe("UNAVAILABLE");
    } finally {
      await control({ clear: true });
    }
    expect((await get(`${sandbox.registry.url}/v2/shop/web/tags/list`)).status).toBe(200);
  });

  it("keeps pushed tags across a restart, beside the seed", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "sandbox-registry-"));
    try {
      const stateFile = path.join(dir, "state.json");
      const first = await startSandbox({ stateFile });
      const digest = await pushTag(first.registry.url, "shop/web", "1.4.0");
      await first.stop();

      const second = await startSandbox({ stateFile });
      try {
        const tags = (await get(`${second.registry.url}/v2/shop/web/tags/list`)).body!.tags as string[];
        expect(tags).toEqual([...SEED_TAGS["shop/web"]!, "1.4.0"].sort());
        const head = await fetch(`${second.registry.url}/v2/shop/web/manifests/1.4.0`, { method: "HEAD" });
        expect(head.headers.get("docker-content-digest")).toBe(digest);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(skipReason("skopeo", "skopeo"))("with skopeo", () => {
  const where = (s: Sandbox, name: string) => `docker://${s.registry.url.replace("http://", "")}/${name}`;
  const creds = `${sandboxRegistryCredentials.username}:${sandboxRegistryCredentials.password}`;

  it("lists every tag through the token flow and pagination", async () => {
    const res = await run("skopeo", ["list-tags", "--tls-verify=false", "--creds", creds, where(secured, "shop/worker")]);
    expect(res.stderr).toBe("");
    expect(JSON.parse(res.stdout)).toMatchObject({ Tags: [...SEED_TAGS["shop/worker"]!].sort() });
  });

  it("reads a manifest, and is refused with wrong credentials", async () => {
    const head = await fetch(`${sandbox.registry.url}/v2/shop/api/manifests/1.2.1`, { method: "HEAD" });
    const res = await run("skopeo", ["inspect", "--raw", "--tls-verify=false", where(sandbox, "shop/api:1.2.1")]);
    expect(res.code).toBe(0);
    expect(`sha256:${createHash("sha256").update(res.stdout).digest("hex")}`).toBe(head.headers.get("docker-content-digest"));

    const refused = await run("skopeo", ["list-tags", "--tls-verify=false", "--creds", "corral:wrong", where(secured, "shop/web")]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("incorrect username or password");
  });
});
