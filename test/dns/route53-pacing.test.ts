import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planZone } from "@/lib/dns/plan-zone";
import { applyChanges, findZone, listZoneRecords, route53Client, waitInSync } from "@/lib/dns/route53";
import type { ChangeGroup, WantedRecord } from "@/lib/dns/types";
import type { Sandbox } from "@/sandbox/index";
import { startTestSandbox } from "../sandbox/helpers";

// The gateway against a Route 53 that allows 2 requests a second (Corral paces itself at 5, as
// for AWS's account limit, so a good part of its requests are throttled) and takes 1.5 s to
// bring a change INSYNC.

const ZONE = "paced.test";
const SYNC_DELAY_MS = 1_500;
let sandbox: Sandbox;
let zoneId: string;

beforeAll(async () => {
  sandbox = await startTestSandbox({ route53: { zones: [ZONE], rateLimitPerSecond: 2, changeSyncDelayMs: SYNC_DELAY_MS } });
  Object.assign(process.env, sandbox.awsEnv);
  zoneId = (await findZone(ZONE)).id;
});

afterAll(() => sandbox?.stop());

const group = (name: string, ip: string): ChangeGroup => ({ owner: "env-p", name, changes: [{ action: "CREATE", record: { name, type: "A", values: [ip] } }] });

describe("pacing and waiting", () => {
  it("gets every change in when Route 53 throttles about half the requests", async () => {
    const seen: string[] = [];
    route53Client().middlewareStack.add(
      (next) => async (args) => {
        try {
          const out = await next(args);
          seen.push("ok");
          return out;
        } catch (error) {
          seen.push((error as Error).name);
          throw error;
        }
      },
      { step: "initialize", name: "countForTest" },
    );
    try {
      const wanted: WantedRecord[] = Array.from({ length: 12 }, (_, i) => ({ owner: "env-p", name: `p${i}.${ZONE}`, type: "A", values: [`127.0.2.${i}`] }));
      const plan = planZone({ zone: ZONE, installation: "it", wanted, existing: await listZoneRecords(zoneId) });
      // One request a name, as a tool without batching would send them: many requests, many refusals.
      const ids: string[] = [];
      for (const g of plan.groups) {
        const result = await applyChanges(zoneId, [g]);
        expect(result.rejected).toEqual([]);
        ids.push(result.applied[0]!.changeId);
      }
      const synced = await waitInSync(ids, { timeoutMs: 30_000 });
      expect(synced.pending).toEqual([]);
      expect(synced.inSync).toEqual(ids);
      const again = planZone({ zone: ZONE, installation: "it", wanted, existing: await listZoneRecords(zoneId) });
      expect(again.live).toHaveLength(12);
    } finally {
      route53Client().middlewareStack.remove("countForTest");
    }
    const throttled = seen.filter((s) => s === "Throttling").length;
    expect(seen.filter((s) => s !== "ok" && s !== "Throttling")).toEqual([]);
    expect(throttled).toBeGreaterThan(0);
  });

  it("returns what is still pending at the timeout, and everything once Route 53 has it INSYNC", async () => {
    const applied = await applyChanges(zoneId, [group(`w1.${ZONE}`, "127.0.3.1")]);
    const id = applied.applied[0]!.changeId;
    expect(await waitInSync([id], { timeoutMs: 300 })).toEqual({ inSync: [], pending: [id] });
    expect(await waitInSync([id, `/change/${id}`], { timeoutMs: 10_000 })).toEqual({ inSync: [id], pending: [] });
  });

  it("stops at once when aborted, waiting or applying", async () => {
    const applied = await applyChanges(zoneId, [group(`w2.${ZONE}`, "127.0.3.2")]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("sync cancelled")), 100);
    // Rejected by the abort, not by the 10 s timeout (that would resolve with the change pending).
    await expect(waitInSync([applied.applied[0]!.changeId], { timeoutMs: 10_000, signal: controller.signal })).rejects.toThrow("sync cancelled");
    await expect(applyChanges(zoneId, [group(`w3.${ZONE}`, "127.0.3.3")], { signal: controller.signal })).rejects.toThrow("sync cancelled");
    expect((await listZoneRecords(zoneId)).some((r) => r.name === `w3.${ZONE}`)).toBe(false);
  });
});
