import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { JobDefinition } from "@/lib/jobs/define-job";
import { eventually } from "../support/eventually";
import { startWorkerWorld } from "../support/world";

// The job registry on a real queue and a real sandbox cluster: work on one environment is
// serialised across kinds, a destroy stops what no longer matters and says which, a cancel
// stops a job and says so, and progress reaches the change feed.

let world: Awaited<ReturnType<typeof startWorkerWorld>>;
let actor: Actor;
let lib: {
  db: typeof import("@/lib/db/client").db;
  create: typeof import("@/lib/environments/create-environment").createEnvironment;
  destroy: typeof import("@/lib/environments/destroy-environment").destroyEnvironment;
  enqueue: typeof import("@/lib/jobs/queue").enqueue;
  cancel: typeof import("@/lib/jobs/cancel-job").cancelJob;
  subscribe: typeof import("@/lib/environments/change-feed").subscribeEnvironmentChanges;
};

// A job shaped like a data copy: it reports progress, then holds until it is aborted or let go.
const started = new Set<string>();
// Each copy holds until the test lets it go (or it is aborted).
const releases = new Map<string, () => void>();
const letGo = { add: (tag: string) => releases.get(tag)?.() };
const copyJob = {
  name: "test-data-copy",
  title: "Data copy",
  schema: z.object({ environmentId: z.string(), tag: z.string() }),
  retry: { limit: 0, delaySeconds: 1, backoff: false, maxDelaySeconds: 1 },
  timeoutSeconds: 60,
  concurrencyKey: (p: { environmentId: string }) => p.environmentId,
  environmentId: (p: { environmentId: string }) => p.environmentId,
  requiresActiveEnvironment: true,
  cancellable: true,
  handler: async (p: { tag: string }, ctx: { signal: AbortSignal; progress: (x: object) => Promise<void> }) => {
    started.add(p.tag);
    await ctx.progress({ fraction: 0.25, counters: { rows: 250 }, message: "copying users" });
    await new Promise<void>((resolve, reject) => {
      releases.set(p.tag, resolve);
      ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
    });
  },
} as unknown as JobDefinition;

// A job whose far side fails transiently while its tag is in `failing`: what each run saw.
const failing = new Map<string, number>();
const runs: { tag: string; transientFailures: number; at: number }[] = [];
const flakyJob = {
  name: "test-flaky-sync",
  title: "Flaky sync",
  schema: z.object({ environmentId: z.string(), tag: z.string() }),
  retry: { limit: 0, delaySeconds: 1, backoff: false, maxDelaySeconds: 1 },
  timeoutSeconds: 60,
  concurrencyKey: (p: { environmentId: string }) => p.environmentId,
  collapse: true,
  environmentId: (p: { environmentId: string }) => p.environmentId,
  handler: async (p: { tag: string }, ctx: import("@/lib/jobs/define-job").JobContext) => {
    runs.push({ tag: p.tag, transientFailures: ctx.transientFailures, at: Date.now() });
    const atLeastSeconds = failing.get(p.tag);
    if (atLeastSeconds !== undefined) await ctx.retryTransient("the far side is answering with errors (503)", { atLeastSeconds });
  },
} as unknown as JobDefinition;

beforeAll(async () => {
  world = await startWorkerWorld("jobs", { timings: { namespaceTerminationDelayMs: 1_500 } }, { extraJobs: [copyJob, flakyJob] });
  actor = world.actor;
  const [{ createEnvironment }, { destroyEnvironment }, queue, { cancelJob }, { subscribeEnvironmentChanges }] = await Promise.all([
    import("@/lib/environments/create-environment"),
    import("@/lib/environments/destroy-environment"),
    import("@/lib/jobs/queue"),
    import("@/lib/jobs/cancel-job"),
    import("@/lib/environments/change-feed"),
  ]);
  lib = { db: world.db, create: createEnvironment, destroy: destroyEnvironment, enqueue: queue.enqueue, cancel: cancelJob, subscribe: subscribeEnvironmentChanges };
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

const jobRow = (id: string) => lib.db.job.findUniqueOrThrow({ where: { id } });
const readyEnvironment = async (name: string) => {
  const env = await lib.create(actor, { name, components: [{ name: "web", image: "nginx:1.27.3" }] });
  await eventually(async () => (await lib.db.environment.findUniqueOrThrow({ where: { id: env.id } })).status === "ready", `${name} ready`);
  return env;
};

describe("the job registry", () => {
  it("runs a job, reports its progress on the change feed, and a cancelled job stops and says so", async () => {
    const env = await readyEnvironment("jobs-cancel");
    const heard: unknown[] = [];
    const off = lib.subscribe((change) => {
      if (change.id === env.id && change.job) heard.push(change.job);
    });
    const id = (await lib.enqueue(copyJob, { environmentId: env.id, tag: "cancel" }, { cause: actor.email }))!;
    await eventually(async () => (await jobRow(id)).status === "running" && started.has("cancel"), "the copy running");
    await eventually(async () => ((await jobRow(id)).progress as { fraction?: number }).fraction === 0.25, "its progress recorded");
    expect((await jobRow(id)).progress).toMatchObject({ counters: { rows: 250 }, message: "copying users" });
    await eventually(async () => heard.some((j) => (j as { id: string; status: string }).id === id && (j as { status: string }).status === "running"), "a progress notice");

    await lib.cancel(actor, env.id, id);
    const ended = await eventually(async () => {
      const row = await jobRow(id);
      return row.status === "cancelled" ? row : null;
    }, "the job to stop");
    expect(ended.error).toMatch(/^Cancelled/);
    expect(ended.finishedAt).not.toBeNull();
    const history = await lib.db.historyEntry.findMany({ where: { environmentId: env.id }, orderBy: { createdAt: "asc" } });
    expect(history.map((h) => h.message)).toContainEqual(expect.stringMatching(/Cancel of test-data-copy requested \(by jobs@example.com\)/));
    off();
  });

  it("stops a running copy when a destroy is asked for, says which, refuses a new one while destroying, and finishes the destroy", async () => {
    const env = await readyEnvironment("jobs-destroy");
    const copy = (await lib.enqueue(copyJob, { environmentId: env.id, tag: "during-destroy" }, { cause: actor.email }))!;
    await eventually(async () => started.has("during-destroy"), "the copy running");

    await lib.destroy(actor, env.id);
    const asked = await lib.db.historyEntry.findFirstOrThrow({ where: { environmentId: env.id, toStatus: "destroying" } });
    expect(asked.message).toMatch(/Destroy requested \(by jobs@example.com\); stopping data copy \(running\)/);
    await eventually(async () => (await jobRow(copy)).status === "cancelled", "the copy stopped");

    // While it is being destroyed, no copy starts.
    await expect(lib.enqueue(copyJob, { environmentId: env.id, tag: "too-late" }, { cause: actor.email })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/being destroyed/) });

    await eventually(async () => (await lib.db.environment.findUniqueOrThrow({ where: { id: env.id } })).status === "destroyed", "destroyed", 20_000);
    const steps = await lib.db.cleanupStep.findMany({ where: { environmentId: env.id }, orderBy: { position: "asc" } });
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ["hostnames", "done"],
      ["namespace", "done"],
      ["data-stores", "done"],
    ]);
    const destroyJob = await lib.db.job.findFirstOrThrow({ where: { environmentId: env.id, kind: "environment-destroy" }, orderBy: { createdAt: "asc" } });
    expect(destroyJob.cause).toBe("jobs@example.com");
    // The end of a destroy is the system's doing, audited with its cause.
    const audit = await eventually(() => lib.db.auditEvent.findFirst({ where: { action: "environment.destroyed", targetId: env.id } }), "the destroy audited");
    expect(audit).toMatchObject({ actorId: null, via: "system" });
  });

  it("never runs two jobs of one environment at once, whatever their kinds", async () => {
    const { reconcileJob } = await import("@/lib/jobs/definitions/environment-reconcile");
    const env = await readyEnvironment("jobs-serial");
    const copy = (await lib.enqueue(copyJob, { environmentId: env.id, tag: "first" }, { cause: actor.email }))!;
    await eventually(async () => started.has("first"), "the copy running");
    // Another kind of job on the same environment waits for the copy, and says so.
    const reconcile = (await lib.enqueue(reconcileJob, { environmentId: env.id }, { cause: actor.email }))!;
    await eventually(async () => ((await jobRow(reconcile)).progress as { message?: string }).message?.includes("Waiting for other work"), "the reconcile to wait");
    expect((await jobRow(reconcile)).status).toBe("queued");
    letGo.add("first");
    await eventually(async () => (await jobRow(copy)).status === "succeeded", "the copy done");
    const after = await eventually(async () => {
      const row = await jobRow(reconcile);
      return row.status === "succeeded" ? row : null;
    }, "the reconcile to run after");
    expect(after.startedAt!.getTime()).toBeGreaterThanOrEqual((await jobRow(copy)).finishedAt!.getTime() - 5);
  });

  it("runs work that met a transient failure again after a backoff, counting the failures in a row, for as long as it takes", async () => {
    const env = await readyEnvironment("jobs-flaky");
    failing.set("flaky", 1);
    const first = (await lib.enqueue(flakyJob, { environmentId: env.id, tag: "flaky" }, { cause: actor.email }))!;
    await eventually(async () => runs.filter((r) => r.tag === "flaky").length >= 2, "a second run after the failure");
    failing.delete("flaky");
    await eventually(async () => runs.filter((r) => r.tag === "flaky").length >= 3, "a third run", 20_000);
    const mine = runs.filter((r) => r.tag === "flaky");
    expect(mine.slice(0, 3).map((r) => r.transientFailures)).toEqual([0, 1, 2]);
    // Not before the backoff: at least the second asked for between runs.
    expect(mine[1]!.at - mine[0]!.at).toBeGreaterThanOrEqual(1_000);
    // Each run that met the failure says so on its row, and is no give-up: the next one follows.
    const failed = await jobRow(first);
    expect(failed.status).toBe("failed");
    expect(failed.error).toBe("the far side is answering with errors (503); trying again in 1 s (attempt 1).");
    const rows = await lib.db.job.findMany({ where: { environmentId: env.id, kind: "test-flaky-sync" }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed", "succeeded"]);
  });

  it("runs work asked for meanwhile at once, not behind a transient retry's backoff", async () => {
    const env = await readyEnvironment("jobs-flaky-now");
    failing.set("slow", 30);
    await lib.enqueue(flakyJob, { environmentId: env.id, tag: "slow" }, { cause: actor.email });
    await eventually(async () => runs.some((r) => r.tag === "slow"), "the first run");
    // Its retry waits 30 s; a new request for the same work does not.
    failing.delete("slow");
    await lib.enqueue(flakyJob, { environmentId: env.id, tag: "slow" }, { cause: actor.email });
    const second = await eventually(async () => runs.filter((r) => r.tag === "slow")[1], "the work asked for meanwhile to run");
    // The new job, not the retry (which counts one failure).
    expect(second.transientFailures).toBe(0);
  });
});
