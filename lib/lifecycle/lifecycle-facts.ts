import type { LifecycleFacts } from "./plan";

// What the plan needs of an environment, read the same way by the pass and by the dry run.

/** The columns (and the expiry warnings sent) `toFacts` turns into the plan's facts. */
export const factsSelect = {
  id: true,
  name: true,
  ownerId: true,
  status: true,
  power: true,
  expiresAt: true,
  pinnedBy: true,
  lastActivityAt: true,
  asleepSince: true,
  notifications: { where: { kind: "expiring" as const }, select: { key: true } },
} as const;

interface FactsRow extends Omit<LifecycleFacts, "pinned" | "warnedFor"> {
  pinnedBy: string | null;
  notifications: { key: string }[];
}

export function toFacts<R extends FactsRow>(row: R): R & LifecycleFacts {
  return {
    ...row,
    pinned: row.pinnedBy !== null,
    warnedFor: row.expiresAt && row.notifications.some((n) => n.key === expiryKey(row.expiresAt!)) ? row.expiresAt : null,
  };
}

/** The key of a warning: the expiry it is about, to the millisecond. */
export function expiryKey(expiresAt: Date): string {
  return String(expiresAt.getTime());
}
