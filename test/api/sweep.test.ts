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
});
