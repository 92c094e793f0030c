import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { sweepEnvironments } from "@/lib/environments/sweep-environments";
import { getBoss } from "@/lib/jobs/queue";
import { signedIn } from "../support/sign-in";

const jobsFor = async (id: string) =>
  Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE singleton_key = ${id}`)[0]?.n);

// The queue's tables exist once pg-boss has started in this database.
beforeAll(async () => {
  await getBoss();
});

describe("the sweep", () => {
  it("enqueues one reconcile for each environment whose desired state is not applied, and no second one", async () => {
    const { user } = await signedIn("developer");
    const owed = await db.environment.create({ data: { name: `owed-${randomBytes(3).toString("hex")}`, ownerId: user.id, status: "ready", desiredGeneration: 2, appliedGeneration: 1 } });
    const settled = await db.environment.create({ data: { name: `settled-${randomBytes(3).toString("hex")}`, ownerId: user.id, status: "ready", desiredGeneration: 1, appliedGeneration: 1 } });
    expect(await jobsFor(owed.id)).toBe(0);

    expect(await sweepEnvironments()).toBeGreaterThanOrEqual(1);
    expect(await jobsFor(owed.id)).toBe(1);
    expect(await jobsFor(settled.id)).toBe(0);

    // Sweeping again while the job is still queued adds nothing.
    await sweepEnvironments();
    expect(await jobsFor(owed.id)).toBe(1);
  });

  it("leaves work waiting out a transient failure to its own backoff, and takes it up once that retry is overdue", async () => {
    const { user } = await signedIn("developer");
    const later = new Date(Date.now() + 60_000);
    const waiting = await db.environment.create({
      data: { name: `waiting-${randomBytes(3).toString("hex")}`, ownerId: user.id, status: "provisioning", desiredGeneration: 1, appliedGeneration: 0, retryReason: "…; retrying, attempt 3, next in 4 s.", retryAt: later },
    });
    const destroying = await db.environment.create({
      data: { name: `waiting-d-${randomBytes(3).toString("hex")}`, ownerId: user.id, lifecycle: "destroying", status: "destroying", updatedAt: new Date(Date.now() - 120_000), retryAt: later },
    });
    await sweepEnvironments();
    expect(await jobsFor(waiting.id)).toBe(0);
    expect(await jobsFor(destroying.id)).toBe(0);

    // Its retry never came (its job lost, say): the safety net takes it up.
    await db.environment.update({ where: { id: waiting.id }, data: { retryAt: new Date(Date.now() - 120_000) } });
    await db.$executeRaw`UPDATE "Environment" SET "retryAt" = now() - interval '2 minutes', "updatedAt" = now() - interval '2 minutes' WHERE "id" = ${destroying.id}`;
    await sweepEnvironments();
    expect(await jobsFor(waiting.id)).toBe(1);
    expect(await jobsFor(destroying.id)).toBe(1);
  });
});
