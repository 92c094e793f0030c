import type { EnvironmentPower, EnvironmentStatus } from "@/lib/db/generated/enums";

// What expiry and sleep will do to an environment, and when: one pure function, so the pass
// that acts now and the lead's dry run of the next hours can never disagree.

export interface LifecycleFacts {
  status: EnvironmentStatus;
  power: EnvironmentPower;
  expiresAt: Date | null;
  pinned: boolean;
  lastActivityAt: Date;
  asleepSince: Date | null;
  /** The expiry the owner was last warned of (a warning goes out once per expiry). */
  warnedFor: Date | null;
}

export interface LifecycleRules {
  warnBeforeHours: number;
  idleSleepHours: number | null;
  asleepDestroyHours: number | null;
}

export type PlannedKind = "warn" | "expire" | "sleep" | "destroy-asleep";

export interface Planned {
  kind: PlannedKind;
  at: Date;
}

// Statuses an idle environment is put to sleep from: not while it is being made or unmade.
const SLEEPABLE: EnvironmentStatus[] = ["ready", "degraded", "updating", "failed"];
const HOUR = 3_600_000;

/** Everything due for this environment from now on, in time order; what follows an end is left out. */
export function plan(env: LifecycleFacts, rules: LifecycleRules): Planned[] {
  if (env.status === "destroying" || env.status === "destroyed") return [];
  const out: Planned[] = [];
  const expiry = !env.pinned && env.expiresAt ? env.expiresAt : null;
  if (expiry && !(env.warnedFor && env.warnedFor.getTime() === expiry.getTime())) {
    out.push({ kind: "warn", at: new Date(expiry.getTime() - rules.warnBeforeHours * HOUR) });
  }
  if (expiry) out.push({ kind: "expire", at: expiry });
  let asleepAt: Date | null = env.power === "asleep" ? (env.asleepSince ?? env.lastActivityAt) : null;
  if (env.power === "awake" && rules.idleSleepHours !== null && SLEEPABLE.includes(env.status)) {
    asleepAt = new Date(env.lastActivityAt.getTime() + rules.idleSleepHours * HOUR);
    out.push({ kind: "sleep", at: asleepAt });
  }
  if (asleepAt && !env.pinned && rules.asleepDestroyHours !== null) {
    out.push({ kind: "destroy-asleep", at: new Date(asleepAt.getTime() + rules.asleepDestroyHours * HOUR) });
  }
  out.sort((a, b) => a.at.getTime() - b.at.getTime() || ORDER[a.kind] - ORDER[b.kind]);
  // Nothing happens to an environment after it is gone.
  const end = out.findIndex((p) => p.kind === "expire" || p.kind === "destroy-asleep");
  return end < 0 ? out : out.slice(0, end + 1);
}

/** What to do now: the end alone if one is due, else a sleep and a warning as they are due. */
export function dueNow(env: LifecycleFacts, rules: LifecycleRules, now: Date): Planned[] {
  const due = plan(env, rules).filter((p) => p.at.getTime() <= now.getTime());
  const end = due.find((p) => p.kind === "expire" || p.kind === "destroy-asleep");
  return end ? [end] : due;
}

/** What will happen after `from` and up to `to` (a dry run); what is already due counts as happening at `from`. */
export function forecast(env: LifecycleFacts, rules: LifecycleRules, from: Date, to: Date): Planned[] {
  return plan(env, rules)
    .filter((p) => p.at.getTime() <= to.getTime())
    .map((p) => (p.at.getTime() < from.getTime() ? { ...p, at: from } : p));
}

const ORDER: Record<PlannedKind, number> = { warn: 0, sleep: 1, expire: 2, "destroy-asleep": 3 };
