import http from "node:http";
import { ChangeResourceRecordSetsCommand, ListHostedZonesByNameCommand, Route53Client } from "@aws-sdk/client-route-53";
import { KubeConfig, NetworkingV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli } from "../sandbox/aws-cli";
import { run, skipReason } from "../sandbox/helpers";
import { callRoute } from "../support/call-route";
import { eventually } from "../support/eventually";
import { startWorkerWorld } from "../support/world";

// Every environment gets Route 53 names through the DNS reconciler, on the sandbox's Route 53
// and DNS with the real SDK, the AWS CLI and dig: records with their TXT owners, a foreign
// record left alone and shown as a conflict, a record deleted by hand brought back, only
// Corral's records removed on destroy, and convergence while Route 53 throttles.

const ZONE = "envs.corral.test";
const INGRESS = "ingress.corral.test";
const noDig = skipReason("dig", "dnsutils");

let world: Awaited<ReturnType<typeof startWorkerWorld>>;
let route53: Route53Client;
let zoneId: string;
let lib: {
  create: typeof import("@/lib/environments/create-environment").createEnvironment;
  destroy: typeof import("@/lib/environments/destroy-environment").destroyEnvironment;
  enqueue: typeof import("@/lib/jobs/queue").enqueue;
  dnsSyncJob: typeof import("@/lib/jobs/definitions/dns-sync").dnsSyncJob;
  addRoute: typeof import("@/app/api/v1/environments/[id]/hostnames/route").POST;
  signedIn: typeof import("../support/sign-in").signedIn;
  change: typeof import("@/lib/environments/change-environment").changeEnvironment;
};
let clusterId: string;
let networking: NetworkingV1Api;

beforeAll(async () => {
  world = await startWorkerWorld("hostnames", { route53: { zones: [ZONE], changeSyncDelayMs: 300 } });
  Object.assign(process.env, world.sandbox.awsEnv);
  const [create, destroy, queue, dns, hostnamesRoute, signIn, change] = await Promise.all([
    import("@/lib/environments/create-environment"),
    import("@/lib/environments/destroy-environment"),
    import("@/lib/jobs/queue"),
    import("@/lib/jobs/definitions/dns-sync"),
    import("@/app/api/v1/environments/[id]/hostnames/route"),
    import("../support/sign-in"),
    import("@/lib/environments/change-environment"),
  ]);
  lib = { create: create.createEnvironment, destroy: destroy.destroyEnvironment, enqueue: queue.enqueue, dnsSyncJob: dns.dnsSyncJob, addRoute: hostnamesRoute.POST, signedIn: signIn.signedIn, change: change.changeEnvironment };
  await world.db.template.create({
    data: {
      name: "dns-shop",
      components: {
        create: [
          { name: "web", repository: "registry.sandbox.corral.test/shop/web", defaultTag: "1.2.1", port: 8080, public: true },
          { name: "worker", repository: "registry.sandbox.corral.test/shop/worker", defaultTag: "1.2.1" },
        ],
      },
    },
  });
  const cluster = await world.db.cluster.findFirstOrThrow({ where: { isDefault: true } });
  clusterId = cluster.id;
  await world.db.cluster.update({ where: { id: clusterId }, data: { dnsDomain: ZONE, ingressHost: INGRESS } });
  route53 = new Route53Client({});
  const kc = new KubeConfig();
  kc.loadFromString(world.sandbox.kubeconfig);
  networking = kc.makeApiClient(NetworkingV1Api);
  const zones = await route53.send(new ListHostedZonesByNameCommand({ DNSName: ZONE }));
  zoneId = zones.HostedZones![0]!.Id!.replace("/hostedzone/", "");
}, 60_000);

afterAll(async () => {
  route53?.destroy();
  await world?.stop();
});

// Made from a template whose web component is public: its names are <env>.<zone> and web.<env>.<zone>.
const createPublic = (name: string) => lib.create(world.actor, { name, template: "dns-shop", components: [] });

const rowsOf = (environmentId: string) => world.db.hostname.findMany({ where: { environmentId }, orderBy: { fqdn: "asc" } });
const untilLive = (environmentId: string, count: number) =>
  eventually(async () => {
    const rows = await rowsOf(environmentId);
    return rows.length === count && rows.every((r) => r.status === "active") ? rows : null;
  }, `${count} live hostnames`, 30_000);

async function zoneRecords(): Promise<{ Name: string; Type: string; ResourceRecords?: { Value: string }[] }[]> {
  const cli = awsCli();
  if (!cli) throw new Error("the AWS CLI is needed (apt-get install awscli)");
  const env = { ...world.sandbox.awsEnv, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
  const out = await run(cli, ["route53", "list-resource-record-sets", "--hosted-zone-id", zoneId, "--endpoint-url", world.sandbox.route53.url, "--output", "json"], env);
  if (out.code !== 0) throw new Error(out.stderr);
  return (JSON.parse(out.stdout) as { ResourceRecordSets: { Name: string; Type: string; ResourceRecords?: { Value: string }[] }[] }).ResourceRecordSets;
}
const find = (records: Awaited<ReturnType<typeof zoneRecords>>, name: string, type: string) => records.find((r) => r.Name === `${name}.` && r.Type === type);
// node:http, because fetch will not send a Host header of one's choosing.
function getThroughIngress(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${world.sandbox.ingress.url}${path}`, { headers: { host, accept: "application/json" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}
const resync = () => lib.enqueue(lib.dnsSyncJob, { clusterId }, { cause: "test" });

async function putForeign(name: string, action: "UPSERT" | "DELETE", value = "elsewhere.example.org", ttl = 300) {
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action: action, ResourceRecordSet: { Name: name, Type: "CNAME", TTL: ttl, ResourceRecords: [{ Value: value }] } }] },
    }),
  );
}

describe("hostnames in Route 53", () => {
  let first: { id: string };

  it("gives a public component its names: records and TXT owners, live once INSYNC, answered by dig", async () => {
    first = await createPublic("dns-one");
    const rows = await untilLive(first.id, 2);
    expect(rows.map((r) => r.fqdn)).toEqual([`dns-one.${ZONE}`, `web.dns-one.${ZONE}`]);
    const records = await zoneRecords();
    expect(find(records, `web.dns-one.${ZONE}`, "CNAME")?.ResourceRecords).toEqual([{ Value: INGRESS }]);
    const owner = records.filter((r) => r.Type === "TXT" && r.Name.includes(`web.dns-one.${ZONE}`));
    expect(owner).toHaveLength(1);
    expect(owner[0]!.ResourceRecords![0]!.Value).toContain(first.id);
    if (!noDig) {
      const dig = await run("dig", ["@127.0.0.1", "-p", String(world.sandbox.dns.port), `web.dns-one.${ZONE}`, "CNAME", "+short"]);
      expect(dig.stdout.trim()).toBe(`${INGRESS}.`);
    }
    // The sandbox's ingress, asked for either name, answers from web's pod with its pinned version.
    for (const host of [`web.dns-one.${ZONE}`, `dns-one.${ZONE}`]) {
      const page = await eventually(async () => {
        const res = await getThroughIngress(host, "/cart");
        return res.status === 200 ? (JSON.parse(res.body) as { image: string; version: string; namespace: string; path: string }) : null;
      }, `${host} answering`);
      expect(page).toMatchObject({ image: "registry.sandbox.corral.test/shop/web:1.2.1", version: "1.2.1", namespace: "dns-one", path: "/cart" });
    }
  });

  it("leaves a foreign record at a wanted name alone and shows the conflict", async () => {
    await putForeign(`dns-two.${ZONE}`, "UPSERT");
    const env = await createPublic("dns-two");
    const conflict = await eventually(async () => (await rowsOf(env.id)).find((r) => r.fqdn === `dns-two.${ZONE}` && r.status === "conflict") ?? null, "conflict");
    expect(conflict.reason).toMatch(/not Corral's|another|foreign|held/i);
    await eventually(async () => ((await rowsOf(env.id)).find((r) => r.fqdn === `web.dns-two.${ZONE}`)?.status === "active" ? true : null), "web's name live");
    expect(find(await zoneRecords(), `dns-two.${ZONE}`, "CNAME")?.ResourceRecords).toEqual([{ Value: "elsewhere.example.org" }]);
  });

  it("brings back a record of Corral's deleted by hand", async () => {
    await putForeign(`web.dns-one.${ZONE}`, "DELETE", INGRESS, 60); // as Corral wrote it, or Route 53 refuses
    expect(find(await zoneRecords(), `web.dns-one.${ZONE}`, "CNAME")).toBeUndefined();
    await resync();
    await eventually(async () => (find(await zoneRecords(), `web.dns-one.${ZONE}`, "CNAME") ? true : null), "the record back");
  });

  it("takes a custom name only under the environment's own, on a public component, and routes it", async () => {
    const owner = await world.db.user.findUniqueOrThrow({ where: { id: world.actor.id } });
    const session = await lib.signedIn(owner.role, "hostnames-custom");
    await world.db.environment.update({ where: { id: first.id }, data: { ownerId: session.user.id } });
    const outside = await callRoute(lib.addRoute, { method: "POST", params: { id: first.id }, body: { fqdn: "demo.example.org", component: "web" }, headers: session.headers });
    const rule = `A hostname must be under the environment's own name, such as demo.dns-one.${ZONE}.`;
    expect([outside.status, outside.body.error.details.fqdn]).toEqual([400, [rule]]);
    // Not at the top of the zone, not under another environment's name: those may become someone's URL.
    for (const fqdn of [`demo.${ZONE}`, `x.dns-two.${ZONE}`]) {
      const refused = await callRoute(lib.addRoute, { method: "POST", params: { id: first.id }, body: { fqdn, component: "web" }, headers: session.headers });
      expect([refused.status, refused.body.error.details.fqdn]).toEqual([400, [rule]]);
    }
    const privateOne = await callRoute(lib.addRoute, { method: "POST", params: { id: first.id }, body: { fqdn: `w.dns-one.${ZONE}`, component: "worker" }, headers: session.headers });
    expect(privateOne.body.error.details.component).toEqual(["worker is not public and has no port: nothing would answer at a hostname."]);
    const added = await callRoute(lib.addRoute, { method: "POST", params: { id: first.id }, body: { fqdn: `Demo.dns-one.${ZONE}`, component: "web" }, headers: session.headers });
    expect(added.status).toBe(202);
    await untilLive(first.id, 3);
    expect(find(await zoneRecords(), `demo.dns-one.${ZONE}`, "CNAME")?.ResourceRecords).toEqual([{ Value: INGRESS }]);
    const ingress = await eventually(async () => {
      const { items } = await networking.listNamespacedIngress({ namespace: "dns-one" });
      const hosts = items.flatMap((i) => i.spec?.rules?.map((r) => r.host ?? "") ?? []);
      return hosts.includes(`demo.dns-one.${ZONE}`) ? hosts : null;
    }, "the ingress rule");
    expect(ingress.sort()).toEqual([`demo.dns-one.${ZONE}`, `dns-one.${ZONE}`, `web.dns-one.${ZONE}`]);
  });

  it("deletes exactly the destroyed environment's records and their owners", async () => {
    await lib.destroy(world.actor, (await world.db.environment.findFirstOrThrow({ where: { name: "dns-two" } })).id);
    await eventually(async () => ((await world.db.environment.findFirstOrThrow({ where: { name: "dns-two" } })).status === "destroyed" ? true : null), "destroyed", 30_000);
    const records = await zoneRecords();
    expect(records.filter((r) => r.Name.includes("dns-two") && r.Type !== "CNAME")).toEqual([]);
    expect(find(records, `web.dns-two.${ZONE}`, "CNAME")).toBeUndefined();
    // The foreign record at its name stays, and so do another environment's.
    expect(find(records, `dns-two.${ZONE}`, "CNAME")?.ResourceRecords).toEqual([{ Value: "elsewhere.example.org" }]);
    expect(find(records, `web.dns-one.${ZONE}`, "CNAME")).toBeDefined();
    expect(find(records, `demo.dns-one.${ZONE}`, "CNAME")).toBeDefined();
  });

  it("converges 50 environments while Route 53 throttles half the calls", async () => {
    world.sandbox.setFaults("route53", { throttleRate: 0.5 });
    try {
      const envs: { id: string }[] = [];
      for (let i = 0; i < 50; i++) envs.push(await createPublic(`dns-many-${i}`));
      await eventually(
        async () => {
          const live = await world.db.hostname.count({ where: { environmentId: { in: envs.map((e) => e.id) }, status: "active" } });
          return live === 100 ? live : null;
        },
        "100 live hostnames",
        120_000,
      );
    } finally {
      world.sandbox.clearFaults();
    }
    const records = await zoneRecords();
    expect(records.filter((r) => r.Type === "CNAME" && r.Name.includes("dns-many-"))).toHaveLength(100);
  }, 180_000);

  it("takes a component made private off its names: the Ingress and the records go, custom names too", async () => {
    const env = await world.db.environment.findFirstOrThrow({ where: { name: "dns-one" }, include: { owner: true } });
    await lib.change({ ...env.owner, via: "session", scopes: null }, env.id, "update", async (tx) => {
      await tx.component.update({ where: { environmentId_name: { environmentId: env.id, name: "web" } }, data: { public: false } });
      return { message: "web made private" };
    });
    await eventually(async () => ((await rowsOf(env.id)).length === 0 ? true : null), "its names gone");
    const records = await zoneRecords();
    for (const name of [`web.dns-one.${ZONE}`, `dns-one.${ZONE}`, `demo.dns-one.${ZONE}`]) {
      expect(find(records, name, "CNAME")).toBeUndefined();
      expect(find(records, `_corral.${name}`, "TXT")).toBeUndefined();
    }
    const { items } = await networking.listNamespacedIngress({ namespace: "dns-one" });
    expect(items).toEqual([]);
  });
});
