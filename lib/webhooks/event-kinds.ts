import type { EnvironmentStatus } from "@/lib/db/generated/enums";

// Every kind of event a webhook may receive, in one table: a feature that adds one adds a row
// here and calls recordEvent() where its change is written. Client-safe: the forms list them.

interface EventKindInfo {
  /** What the UI calls it. */
  title: string;
  /** When it is sent, in plain words (README and the form's hints). */
  description: string;
  /** Whether a subscription may choose it (a test goes only to the one subscription it was sent to). */
  subscribable: boolean;
}

export const EVENT_KINDS = {
  "environment.ready": { title: "Ready", description: "An environment became Ready (after provisioning, a change or a recovery).", subscribable: true },
  "environment.degraded": { title: "Degraded", description: "An environment became Degraded: some component is not healthy.", subscribable: true },
  "environment.failed": { title: "Failed", description: "An environment became Failed: Kubernetes refused what Corral applied.", subscribable: true },
  "environment.destroyed": { title: "Destroyed", description: "An environment was destroyed: every clean-up step is done.", subscribable: true },
  "environment.expiring": { title: "Expiring", description: "An environment will expire soon unless someone extends it.", subscribable: true },
  "data-copy.finished": { title: "Copy finished", description: "A data copy into an environment ended: succeeded, failed or cancelled.", subscribable: true },
  "webhook.test": { title: "Test", description: 'Sent by "Send test" to one subscription.', subscribable: false },
} as const satisfies Record<string, EventKindInfo>;

export type EventKind = keyof typeof EVENT_KINDS;

export const ALL_EVENT_KINDS = Object.keys(EVENT_KINDS) as EventKind[];

export const SUBSCRIBABLE_KINDS = ALL_EVENT_KINDS.filter((k) => EVENT_KINDS[k].subscribable) as [EventKind, ...EventKind[]];

/** The event an environment's status sends when it changes into that status. */
export const STATUS_EVENTS: Partial<Record<EnvironmentStatus, EventKind>> = {
  ready: "environment.ready",
  degraded: "environment.degraded",
  failed: "environment.failed",
  destroyed: "environment.destroyed",
};
