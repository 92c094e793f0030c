import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { eventually } from "../support/eventually";
import { frameParser } from "../support/sse";
import { startWorld } from "../support/world";

// Logs from the sandbox's kubelet through the route handler, as a browser's EventSource reads them.
// Streams re-check their reader's authorization every second here (config is read on first use).
process.env.CORRAL_STREAM_REAUTH_SECONDS = "1";

let world: Awaited<ReturnType<typeof startWorld>>;
let worker: { stop: () => Promise<void> };
let headers: Record<string, string>;
let routes: { follow: typeof import("@/app/api/v1/environments/[id]/logs/route").GET; download: typeof import("@/app/api/v1/environments/[id]/logs/download/route").GET };
let web: { id: string };
let crash: { id: string };
let hostile: { id: string };
const LINES_PER_SECOND = 200;

beforeAll(async () => {
  world = await startWorld("logs", { logs: { linesPerSecond: LINES_PER_SECOND } });
  const { startWorker } = await import("@/lib/jobs/worker");
  const { createEnvironment } = await import("@/lib/environments/create-environment");
  const { signedIn } = await import("../support/sign-in");
  const { db } = await import("@/lib/db/client");
  routes = { follow: (await import("@/app/api/v1/environments/[id]/logs/route")).GET, download: (await import("@/app/api/v1/environments/[id]/logs/download/route")).GET };
  const session = await signedIn("qa");
  headers = session.headers;
  worker = await startWorker();
  const actor = { ...session.user, via: "session" as const, scopes: null };
  web = await createEnvironment(actor, { name: "logs-web", components: [{ name: "web", image: "nginx:1.27.3", replicas: 2 }] });
  crash = await createEnvironment(actor, { name: "logs-crash", components: [{ name: "worker", image: "acme/worker:crashloop" }] });
  hostile = await createEnvironment(actor, { name: "logs-escapes", components: [{ name: "api", image: "acme/api:1.0-escapes" }] });
  await eventually(async () => (await db.environment.findUniqueOrThrow({ where: { id: web.id } })).status === "ready", "web ready");
  await eventually(async () => (await db.environment.findUniqueOrThrow({ where: { id: crash.id } })).status === "degraded", "crash degraded");
  await eventually(async () => (await db.environment.findUniqueOrThrow({ where: { id: hostile.id } })).status === "ready", "escapes ready");
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  const { stopBoss } = await import("@/lib/jobs/queue");
  await stopBoss();
  await world?.stop();
});

interface Frame {
  event: string;
  id?: string;
  data: any;
}

/** Opens the log stream like an EventSource would, and reads frames until `until` says stop. */
async function readFrames(path: string, until: (frames: Frame[]) => boolean, extraHeaders: Record<string, string> = {}) {
  const abort = new AbortController();
  const request = new NextRequest(new URL(path, "http://corral.test"), { headers: { ...headers, ...extraHeaders }, signal: abort.signal });
  const id = /environments\/([^/]+)\//.exec(path)![1]!;
  const response = await routes.follow(request, { params: Promise.resolve({ id }) });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  const feed = frameParser((frame) => {
    if (frame.data !== undefined) frames.push({ event: frame.event ?? "message", ...(frame.id !== undefined ? { id: frame.id } : {}), data: JSON.parse(frame.data) });
  });
  const deadline = Date.now() + 10_000;
  while (!until(frames) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    feed(decoder.decode(value, { stream: true }));
  }
  return { frames, close: () => abort.abort(), reader };
}

const linesOf = (frames: Frame[]) => frames.filter((f) => f.event === "lines").flatMap((f) => f.data.lines as [string, string, string][]);

describe("container logs", () => {
  it("merges a component's pods, opens on the last lines, follows live, and closes upstream when the reader goes", async () => {
    const before = world.sandbox.openLogStreams();
    const { frames, close } = await readFrames(`/api/v1/environments/${web.id}/logs?component=web&tailLines=50`, (f) => linesOf(f).length >= 250);
    const sources = frames.find((f) => f.event === "sources")!.data.sources as string[];
    expect(sources).toHaveLength(2);
    expect(world.sandbox.openLogStreams()).toBe(before + 2);
    const lines = linesOf(frames);
    expect(new Set(lines.map((l) => l[0]))).toEqual(new Set(sources));
    // At most 50 from each pod's past, the rest arrived live.
    expect(lines.length).toBeGreaterThan(100);
    expect(lines[0]![1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    close();
    // Within a second or two of the reader going away, the kubelet's streams are closed too.
    await eventually(async () => world.sandbox.openLogStreams() === before, "upstream log streams to close", 2_000);
  });

  it("resumes from the last line it had, with no gap and no duplicate", async () => {
    const path = `/api/v1/environments/${web.id}/logs?component=web&tailLines=0`;
    const first = await readFrames(path, (f) => linesOf(f).length >= 100);
    first.close();
    const lastFrame = first.frames.filter((f) => f.event === "lines").at(-1)!;
    const had = linesOf(first.frames);
    const resumed = await readFrames(path, (f) => linesOf(f).length >= 100, { "last-event-id": lastFrame.id! });
    resumed.close();
    const next = linesOf(resumed.frames);
    for (const source of new Set(had.map((l) => l[0]))) {
      const a = had.filter((l) => l[0] === source);
      const b = next.filter((l) => l[0] === source);
      if (b.length === 0) continue;
      const lastHad = Date.parse(a.at(-1)![1]);
      const firstNew = Date.parse(b[0]![1]);
      // The sandbox writes one line each 1/rate s: the next line is exactly one interval on.
      expect(firstNew - lastHad).toBeCloseTo(1000 / LINES_PER_SECOND, 0);
      expect(b.some((l) => a.some((x) => x[1] === l[1] && x[2] === l[2]))).toBe(false);
    }
  });

  it("opens at a time instead of the last lines, for a link to a line, and follows on from there", async () => {
    const pods = (await world.core.listNamespacedPod({ namespace: "logs-web" })).items;
    const started = Math.max(...pods.map((p) => new Date(p.status!.startTime!).getTime()));
    await eventually(async () => Date.now() - started > 3_000, "pods to have written for a while");
    const since = new Date(Date.now() - 2_000).toISOString();
    const opened = Date.now();
    const { frames, close } = await readFrames(`/api/v1/environments/${web.id}/logs?component=web&tailLines=5&since=${since}`, (f) =>
      linesOf(f).some((l) => Date.parse(l[1]) > opened + 200),
    );
    close();
    const lines = linesOf(frames);
    // Every line from the time asked for (not only the last 5 per pod), then live ones.
    expect(Date.parse(lines[0]![1])).toBeGreaterThanOrEqual(Date.parse(since));
    expect(Date.parse(lines[0]![1])).toBeLessThan(Date.parse(since) + 100);
    expect(lines.length).toBeGreaterThan(2 * 2 * LINES_PER_SECOND * 0.9);
    expect(lines.some((l) => Date.parse(l[1]) > opened)).toBe(true);
  });

  it("shows the previous container of a crash-looping pod, ending in its fatal error", async () => {
    const { core } = world;
    const pods = await core.listNamespacedPod({ namespace: "logs-crash" });
    const pod = pods.items[0]!.metadata!.name!;
    await eventually(async () => ((await core.readNamespacedPod({ namespace: "logs-crash", name: pod })).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, "a restart");
    const { frames, close } = await readFrames(`/api/v1/environments/${crash.id}/logs?pod=${pod}&previous=true`, (f) => f.some((x) => x.event === "end"));
    close();
    const lines = linesOf(frames);
    expect(lines.at(-1)![2]).toMatch(/FATAL/);
    expect(frames.at(-1)!.event).toBe("end");
  });

  it("tells in plain words that a pod has no previous container yet", async () => {
    const pods = await world.core.listNamespacedPod({ namespace: "logs-web" });
    const pod = pods.items[0]!.metadata!.name!;
    const { frames, close } = await readFrames(`/api/v1/environments/${web.id}/logs?pod=${pod}&previous=true`, (f) => f.some((x) => x.event === "end"));
    close();
    expect(frames.find((f) => f.event === "problem")!.data.message).toMatch(/has no previous container/);
  });

  it("downloads a time range as a text file", async () => {
    // A window in which both pods were already writing.
    const pods = (await world.core.listNamespacedPod({ namespace: "logs-web" })).items;
    const started = Math.max(...pods.map((p) => new Date(p.status!.startTime!).getTime()));
    await eventually(async () => Date.now() - started > 3_000, "pods to have written for a while");
    const since = new Date(Date.now() - 2_000).toISOString();
    const until = new Date(Date.now() - 1_000).toISOString();
    const request = new NextRequest(new URL(`/api/v1/environments/${web.id}/logs/download?component=web&since=${since}&until=${until}`, "http://corral.test"), { headers });
    const response = await routes.download(request, { params: Promise.resolve({ id: web.id }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="web.log"');
    const lines = (await response.text()).trim().split("\n");
    // Two pods writing 200 lines a second, for a second.
    expect(lines.length).toBeGreaterThan(300);
    for (const line of lines) {
      const t = Date.parse(line.slice(0, line.indexOf(" ")));
      expect(t).toBeGreaterThanOrEqual(Date.parse(since) - 1);
      expect(t).toBeLessThanOrEqual(Date.parse(until));
      expect(line).toMatch(/ \[web-[a-z0-9-]+\/web\] /);
    }
  });

  it("downloads without terminal escapes but colours, bidi controls shown, unless raw is asked for", async () => {
    const download = async (query: string) => {
      const request = new NextRequest(new URL(`/api/v1/environments/${hostile.id}/logs/download?component=api${query}`, "http://corral.test"), { headers });
      const response = await routes.download(request, { params: Promise.resolve({ id: hostile.id }) });
      expect(response.status).toBe(200);
      const text = await response.text();
      return text.split("\n").find((l) => l.includes("click me"))!;
    };
    const safe = await download("");
    expect(safe).toContain("click me copied bell cleared user⟦U+202E⟧gnp.exe \u001b[31mred\u001b[0m");
    expect(safe).not.toMatch(/\u001b\]|\u0007|\u001b\[2J|\u202e/);
    const raw = await download("&raw=true");
    expect(raw).toContain("\u001b]0;pwned title\u0007");
    expect(raw).toContain("\u202E");
  });

  it("answers 404 for a pod that is not the environment's, and 400 for a bad query", async () => {
    const bad = new NextRequest(new URL(`/api/v1/environments/${web.id}/logs?tailLines=-1&pod=Bad_Name&since=yesterday`, "http://corral.test"), { headers });
    const res = await routes.follow(bad, { params: Promise.resolve({ id: web.id }) });
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.details).sort()).toEqual(["pod", "since", "tailLines"]);
    const crashPod = (await world.core.listNamespacedPod({ namespace: "logs-crash" })).items[0]!.metadata!.name!;
    const other = new NextRequest(new URL(`/api/v1/environments/${web.id}/logs?pod=${crashPod}`, "http://corral.test"), { headers });
    expect((await routes.follow(other, { params: Promise.resolve({ id: web.id }) })).status).toBe(404);
  });
});

describe("Kubernetes events of an environment", () => {
  it("lists the latest ones, warnings about the crash loop among them", async () => {
    const { GET } = await import("@/app/api/v1/environments/[id]/kube-events/route");
    const request = new NextRequest(new URL(`/api/v1/environments/${crash.id}/kube-events`, "http://corral.test"), { headers });
    const response = await GET(request, { params: Promise.resolve({ id: crash.id }) });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { type: string; reason: string; object: string; lastSeen: string; firstSeen: string; count: number }[] };
    expect(items.length).toBeGreaterThan(0);
    expect(items.some((e) => e.type === "Warning" && e.reason === "BackOff" && e.object.startsWith("Pod/"))).toBe(true);
    // Newest last seen first, each with how often and since when.
    expect([...items].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))).toEqual(items);
    expect(items.every((e) => e.count >= 1 && e.firstSeen <= e.lastSeen)).toBe(true);
  });
});

describe("following a component through a rollout", () => {
  it("adds the new pods to the stream from their first line", async () => {
    const { createEnvironment } = await import("@/lib/environments/create-environment");
    const { changeVersion } = await import("@/lib/environments/change-version");
    const { db } = await import("@/lib/db/client");
    const user = await db.user.findFirstOrThrow({ where: { role: "qa" } });
    const actor = { ...user, via: "session" as const, scopes: null };
    const env = await createEnvironment(actor, { name: "logs-roll", components: [{ name: "web", image: "nginx:1.27.3" }] });
    await eventually(async () => (await db.environment.findUniqueOrThrow({ where: { id: env.id } })).status === "ready", "ready");
    const before = (await world.core.listNamespacedPod({ namespace: "logs-roll" })).items.map((p) => p.metadata!.name!);

    let rolled = false;
    const { frames, close } = await readFrames(`/api/v1/environments/${env.id}/logs?component=web&tailLines=0`, (f) => {
      if (!rolled && linesOf(f).length > 0) {
        rolled = true;
        void changeVersion(actor, env.id, "web", "nginx:1.27.4");
      }
      const newSources = linesOf(f).filter((l) => !before.some((p) => l[0].startsWith(`${p}/`)));
      return newSources.length >= 20;
    });
    close();
    const sourcesEvents = frames.filter((f) => f.event === "sources").map((f) => f.data.sources as string[]);
    expect(sourcesEvents.at(-1)!.length).toBeGreaterThan(sourcesEvents[0]!.length);
    const fromNew = linesOf(frames).filter((l) => !before.some((p) => l[0].startsWith(`${p}/`)));
    expect(fromNew.length).toBeGreaterThanOrEqual(20);
    // From its first line: the banner the new version's container writes as it starts.
    expect(fromNew[0]![2]).toBe("INFO  starting nginx version 1.27.4 (pid 1)");
  });
});

describe("authorization of an open stream", () => {
  it("ends a follower's stream, and its upstream, once its token is revoked", async () => {
    const { createApiToken, revokeApiToken } = await import("@/lib/auth/api-tokens");
    const { db } = await import("@/lib/db/client");
    const user = await db.user.findFirstOrThrow({ where: { role: "qa" } });
    const actor = { ...user, via: "session" as const, scopes: null };
    const token = await createApiToken(actor, { name: "follower", scopes: ["environments:read"], expiresInDays: 1 });
    const before = world.sandbox.openLogStreams();
    let revoked = false;
    const { frames } = await readFrames(
      `/api/v1/environments/${web.id}/logs?component=web&tailLines=0`,
      (f) => {
        if (!revoked && linesOf(f).length > 0) {
          revoked = true;
          void revokeApiToken(actor, token.id);
        }
        return f.some((x) => x.event === "end");
      },
      { authorization: `Bearer ${token.token}` },
    );
    expect(frames.at(-1)).toMatchObject({ event: "end", data: { reason: "unauthorized" } });
    await eventually(async () => world.sandbox.openLogStreams() === before, "upstream log streams to close", 2_000);
  });
});
