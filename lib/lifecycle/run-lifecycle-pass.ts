import "server-only";
import type { Logger } from "pino";
import { recordSystemAudit } from "@/lib/audit/record-audit";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { destroyEnvironment } from "@/lib/environments/destroy-environment";
import { sleepEnvironment } from "@/lib/environments/sleep-environment";
import { log as rootLog } from "@/lib/log";
import { collectIngressActivity } from "./ingress-activity";
import { environmentLink, notifyOwner } from "./notify";
import { dueNow, type LifecycleFacts, type LifecycleRules, type Planned } from "./plan";
import { expiryKey, factsSelect, toFacts } from "./lifecycle-facts";
import { getLifecycleSettings } from "./settings";
import { recordExpiringEvent } from "@/lib/webhooks/environment-events";

const HOUR = 3_600_000;

export interface PassOptions {
  /** The pass's idea of now: the clock tests control. */
  now: Date;
  log?: Logger;
}

export interface PassResult {
  warned: string[];
  expired: string[];
  slept: string[];
  destroyedAsleep: string[];
}

/**
 * One pass of expiry and sleep over every live environment: what `plan()` says is due is done
 * (an end alone; a sleep and a warning may come together). Safe to run any number of times, from any process: a
 * warning is a unique row, and the rest are changes of desired state that are no-ops once made.
 */
export async function runLifecyclePass({ now, log = rootLog }: PassOptions): Promise<PassResult> {
  await collectIngressActivity(log).catch((error: unknown) => log.warn({ err: error }, "ingress activity could not be read"));
  const settings = await getLifecycleSettings();
  const rules: LifecycleRules = settings;
  const result: PassResult = { warned: [], expired: [], slept: [], destroyedAsleep: [] };
  for (const env of await candidates(now, rules)) {
    for (const due of dueNow(env, rules, now)) {
      try {
        await act(env, due, now, result);
      } catch (error) {
        log.error({ err: error, environmentId: env.id, action: due.kind }, "lifecycle action failed; the next pass tries again");
      }
    }
  }
  if (Object.values(result).some((list) => list.length > 0)) log.info(result, "lifecycle pass");
  return result;
}

type Candidate = LifecycleFacts & { id: string; name: string; ownerId: string };

/** Only environments something may be due for, found by the indexes, not every row. */
async function candidates(now: Date, rules: LifecycleRules): Promise<Candidate[]> {
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
  const rows = await db.environment.findMany({
    where: {
      lifecycle: "active",
      OR: [
        { pinnedBy: null, expiresAt: { lte: new Date(now.getTime() + rules.warnBeforeHours * HOUR) } },
        ...(rules.idleSleepHours !== null ? [{ power: "awake" as const, lastActivityAt: { lte: ago(rules.idleSleepHours) } }] : []),
        ...(rules.asleepDestroyHours !== null ? [{ power: "asleep" as const, pinnedBy: null, asleepSince: { lte: ago(rules.asleepDestroyHours) } }] : []),
      ],
    },
    select: factsSelect,
  });
  return rows.map(toFacts);
}

async function act(env: Candidate, due: Planned, now: Date, result: PassResult): Promise<void> {
  const link = environmentLink(env.id, config().CORRAL_BASE_URL);
  const see = link ? ` ${link}` : "";
  switch (due.kind) {
    case "warn": {
      const expiresAt = env.expiresAt!;
      const message = `Environment ${env.name} expires ${inWords(expiresAt, now)} (${expiresAt.toISOString()}) and will then be destroyed. Extend it if you still need it.${see}`;
      const told = await notifyOwner({ userId: env.ownerId, environmentId: env.id, kind: "expiring", key: expiryKey(expiresAt), message }, (tx) => recordExpiringEvent(tx, env.id, expiresAt));
      if (told) {
        await db.historyEntry.create({ data: { environmentId: env.id, message: `Its owner was warned: it expires ${expiresAt.toISOString()}` } });
        result.warned.push(env.name);
      }
      return;
    }
    case "expire": {
      const reason = `Expired: its time to live ended ${env.expiresAt!.toISOString()}`;
      await notifyOwner({ userId: env.ownerId, environmentId: env.id, kind: "expired", key: expiryKey(env.expiresAt!), message: `Environment ${env.name} expired and is being destroyed.${see}` });
      if ((await destroyEnvironment({ system: "expiry" }, env.id, reason)).changed) {
        await recordSystemAudit({ action: "environment.destroy", targetType: "environment", targetId: env.id, cause: "system: expiry", details: { name: env.name, expiresAt: env.expiresAt!.toISOString() } });
        result.expired.push(env.name);
      }
      return;
    }
    case "destroy-asleep": {
      const since = env.asleepSince ?? env.lastActivityAt;
      const reason = `Asleep since ${since.toISOString()}, longer than an admin allows`;
      await notifyOwner({ userId: env.ownerId, environmentId: env.id, kind: "destroyed_asleep", key: String(since.getTime()), message: `Environment ${env.name} slept too long and is being destroyed.${see}` });
      if ((await destroyEnvironment({ system: "asleep too long" }, env.id, reason)).changed) {
        await recordSystemAudit({ action: "environment.destroy", targetType: "environment", targetId: env.id, cause: "system: asleep too long", details: { name: env.name, asleepSince: since.toISOString() } });
        result.destroyedAsleep.push(env.name);
      }
      return;
    }
    case "sleep": {
      const idle = `no activity since ${env.lastActivityAt.toISOString()}`;
      if ((await sleepEnvironment({ system: idle }, env.id)).changed) {
        await recordSystemAudit({ action: "environment.sleep", targetType: "environment", targetId: env.id, cause: "system: idle", details: { name: env.name, lastActivityAt: env.lastActivityAt.toISOString() } });
        await notifyOwner({ userId: env.ownerId, environmentId: env.id, kind: "asleep", key: String(now.getTime()), message: `Environment ${env.name} was put to sleep after ${inWords(env.lastActivityAt, now, true)} without activity. Opening it wakes it.${see}` });
        result.slept.push(env.name);
      }
      return;
    }
  }
}

function inWords(at: Date, now: Date, span = false): string {
  const hours = Math.abs(at.getTime() - now.getTime()) / HOUR;
  const words = hours < 1 ? `${Math.max(1, Math.round(hours * 60))} minutes` : hours < 48 ? `${Math.round(hours)} hours` : `${Math.round(hours / 24)} days`;
  return span ? words : `in ${words}`;
}
