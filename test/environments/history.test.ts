import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { updateState } from "@/lib/environments/write-state";

// The history tells the story: a crash loop that follows a pull failure is a new entry even
// though the status stays Degraded; the same reason seen again, or counted up, is not.

describe("an environment's history", () => {
  it("records every change of status and of its reason, and no repeat or recount", async () => {
    const owner = await db.user.create({ data: { email: `h-${randomBytes(3).toString("hex")}@example.com`, name: "h" } });
    const env = await db.environment.create({
      data: { name: `h-${randomBytes(3).toString("hex")}`, ownerId: owner.id, appliedGeneration: 1, appliedAt: new Date(), phase: "ready", status: "ready" },
    });
    const observe = (phase: "ready" | "degraded", phaseReason: string | null) =>
      updateState(db, env.id, (e) => (e.phase === phase && e.phaseReason === phaseReason ? null : { patch: { phase, phaseReason } }));

    await observe("degraded", "image acme/web:9.9 could not be pulled");
    await observe("degraded", "image acme/web:9.9 could not be pulled");
    await observe("degraded", "web keeps crashing (exit code 1), restarted once");
    await observe("degraded", "web keeps crashing (exit code 1), restarted 4 times");
    await observe("ready", null);

    const history = await db.historyEntry.findMany({ where: { environmentId: env.id }, orderBy: { createdAt: "asc" } });
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.message])).toEqual([
      ["ready", "degraded", "image acme/web:9.9 could not be pulled"],
      ["degraded", "degraded", "web keeps crashing (exit code 1), restarted once"],
      ["degraded", "ready", ""],
    ]);
  });
});
