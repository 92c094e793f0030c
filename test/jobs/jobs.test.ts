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

beforeAll(async () => {
  world = await startWorkerWorld("jobs", { timings: { namespaceTerminationDelayMs: 1_500 } }, { extraJobs: [copyJob] });
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

});
