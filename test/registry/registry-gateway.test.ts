import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistryGatewayOptions, createRegistryGateway } from "@/lib/registry/registry-gateway";
import { RegistryProblem } from "@/lib/registry/registry-problem";
import { type Sandbox, startSandbox } from "@/sandbox/index";
import { freePort } from "../support/free-port";
import { pushTag } from "../support/registry";

// The gateway against the sandbox's registry over HTTP: pages, tokens, faults, deadlines, caches.

const WEB_NEWEST_FIRST = ["2.0.0-rc.1", "1.3.0", "1.2.1", "1.2.0", "1.1.0", "1.0.0", "latest", "main"];

let open: Sandbox;
let secured: Sandbox;
beforeAll(async () => {
  // Two tags a page, so shop/web's eight take four.
  [open, secured] = await Promise.all([startSandbox({ registry: { maxPageSize: 2 } }), startSandbox({ registry: { auth: true } })]);
});
afterAll(async () => {
  await Promise.all([open?.stop(), secured?.stop()]);
});

function gatewayFor(sandbox: Sandbox, entry: { username?: string; password?: string } = {}, options: Partial<RegistryGatewayOptions> = {}) {
  return createRegistryGateway({ registries: { [sandbox.registry.host]: { url: sandbox.registry.url, ...entry } }, ...options });
}

const repo = (sandbox: Sandbox, name: string) => `${sandbox.registry.host}/${name}`;

async function problemOf(promise: Promise<unknown>): Promise<RegistryProblem> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryProblem);
  return error as RegistryProblem;
}

describe("listing tags", () => {
  it("follows every page and answers newest first, version-aware", async () => {
    const gateway = gatewayFor(open);
    const before = open.registry.counters().tagLists;
    expect(await gateway.listTags(repo(open, "shop/web"))).toEqual(WEB_NEWEST_FIRST);
    expect(open.registry.counters().tagLists - before).toBe(4);
  });

  it("keeps a listing for a while: a second call asks nothing, and a pushed tag shows once it is asked again", async () => {
    let clock = Date.now();
    const gateway = gatewayFor(open, {}, { now: () => clock, cacheMs: 60_000 });
    expect(await gateway.listTags(repo(open, "shop/worker"))).toEqual(["1.3.0-beta.1", "1.2.2", "1.2.1", "1.2.0", "1.1.0", "1.0.0", "latest"]);
    const asked = open.registry.counters().tagLists;

    await pushTag(open.registry.url, "shop/worker", "1.10.0");
    expect((await gateway.listTags(repo(open, "shop/worker")))[0]).toBe("1.3.0-beta.1");
    expect(open.registry.counters().tagLists).toBe(asked);

    clock += 60_001;
    expect((await gateway.listTags(repo(open, "shop/worker"))).slice(0, 3)).toEqual(["1.10.0", "1.3.0-beta.1", "1.2.2"]);
  });

  it("asks once for callers that come while it is asking", async () => {
    const gateway = gatewayFor(open);
    const before = open.registry.counters().tagLists;
    const answers = await Promise.all(Array.from({ length: 5 }, () => gateway.listTags(repo(open, "shop/api"))));
    expect(new Set(answers.map((a) => a.join()))).toHaveProperty("size", 1);
    expect(open.registry.counters().tagLists - before).toBe(5); // shop/api's nine tags: five pages, once
  });

  it("says a repository is not there, and keeps that answer for less long", async () => {
    let clock = Date.now();
    const gateway = gatewayFor(open, {}, { now: () => clock, failureCacheMs: 10_000 });
    const problem = await problemOf(gateway.listTags(repo(open, "shop/nope")));
    expect(problem.kind).toBe("not-found");
    expect(problem.message).toBe("the registry registry.sandbox.corral.test has no repository shop/nope");
    const asked = open.registry.counters().tagLists;
    await problemOf(gateway.listTags(repo(open, "shop/nope")));
    expect(open.registry.counters().tagLists).toBe(asked);
    clock += 10_001;
    await problemOf(gateway.listTags(repo(open, "shop/nope")));
    expect(open.registry.counters().tagLists).toBe(asked + 1);
  });
});

describe("token auth", () => {
  it("follows the 401 to the token service with the configured credentials, and reuses the token until it expires", async () => {
    const gateway = gatewayFor(secured, secured.registry.credentials);
    const before = secured.registry.counters();
    expect(await gateway.listTags(repo(secured, "shop/web"))).toEqual(WEB_NEWEST_FIRST);
    expect(secured.registry.counters().tokens - before.tokens).toBe(1);

    // The listing's 401, the token, the listing with it.
    const first = secured.registry.counters();
    expect(first.requests - before.requests).toBe(3);

    gateway.forget();
    expect(await gateway.listTags(repo(secured, "shop/web"))).toEqual(WEB_NEWEST_FIRST);
    const second = secured.registry.counters();
    // The kept token, straight away.
    expect(second.tokens - before.tokens).toBe(1);
    expect(second.requests - first.requests).toBe(1);
  });

  it("says in plain words that wrong credentials were refused, and never says the password", async () => {
    const gateway = gatewayFor(secured, { username: "corral", password: "not-the-password-7f3a" });
    const problem = await problemOf(gateway.listTags(repo(secured, "shop/web")));
    expect(problem.kind).toBe("refused");
    expect(problem.message).toBe("the registry registry.sandbox.corral.test refused the credentials");
    expect(JSON.stringify({ message: problem.message, stack: problem.stack })).not.toContain("not-the-password-7f3a");
  });

  it("says when a registry wants credentials and none are configured", async () => {
    const problem = await problemOf(gatewayFor(secured).listTags(repo(secured, "shop/web")));
    expect(problem.kind).toBe("refused");
    expect(problem.message).toBe("the registry registry.sandbox.corral.test asks for credentials, and CORRAL_REGISTRIES has none for it");
  });
});

describe("faults", () => {
  it("retries 503s, 429s and dropped connections with backoff until the listing succeeds", async () => {
    const gateway = gatewayFor(secured, secured.registry.credentials, { retry: { retries: 12, baseDelayMs: 2, maxDelayMs: 10 }, timeoutMs: 20_000 });
    const before = secured.registry.counters().faults;
    secured.setFaults("registry", { errorRate: 0.2, throttleRate: 0.2, dropRate: 0.05 });
    try {
      for (let i = 0; i < 30; i++) {
        gateway.forget();
        expect(await gateway.listTags(repo(secured, "shop/web"))).toEqual(WEB_NEWEST_FIRST);
      }
    } finally {
      secured.clearFaults();
    }
    // Faults were met and got through: nothing above would have passed without retrying.
    expect(secured.registry.counters().faults - before).toBeGreaterThan(0);
  });

  it("gives up after a few tries with the status in the message, well within the deadline", async () => {
    const gateway = gatewayFor(open);
    try {
      open.setFaults("registry", { errorRate: 1 });
      const started = performance.now();
      const unavailable = await problemOf(gateway.listTags(repo(open, "shop/api")));
      expect(unavailable).toMatchObject({ kind: "unreachable", message: "the registry registry.sandbox.corral.test is unavailable (it answered 503, 4 tries)" });
      expect(performance.now() - started).toBeLessThan(3_000);

      // 429s ask for a second's wait each: the call gives up when the next wait would pass its deadline.
      open.setFaults("registry", { throttleRate: 1 });
      gateway.forget();
      const throttledAt = performance.now();
      const throttled = await problemOf(gateway.listTags(repo(open, "shop/api")));
      expect(throttled.message).toMatch(/^the registry registry\.sandbox\.corral\.test is limiting Corral's requests \(429 Too Many Requests, \d tries\)$/);
      expect(performance.now() - throttledAt).toBeLessThan(3_000);
    } finally {
      open.clearFaults();
    }
  });

  it("answers unreachable at once when nothing listens", async () => {
    const port = await freePort();
    const gateway = createRegistryGateway({ registries: { "registry.down.test": { url: `http://127.0.0.1:${port}` } } });
    const started = performance.now();
    const problem = await problemOf(gateway.listTags("registry.down.test/shop/web"));
    expect(problem.kind).toBe("unreachable");
    expect(problem.message).toBe(`the registry registry.down.test could not be reached: nothing answers at http://127.0.0.1:${port}`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("stops waiting for a registry that does not answer at the deadline (3 s unless told)", async () => {
    const gateway = gatewayFor(open);
    open.setFaults("registry", { latencyMs: 10_000 });
    try {
      const started = performance.now();
      const problem = await problemOf(gateway.listTags(repo(open, "shop/web")));
      const elapsed = performance.now() - started;
      expect(problem).toMatchObject({ kind: "unreachable", message: "the registry registry.sandbox.corral.test did not answer within 3 s" });
      expect(elapsed).toBeGreaterThan(2_900);
      expect(elapsed).toBeLessThan(4_000);
    } finally {
      open.clearFaults();
    }
  });
});
