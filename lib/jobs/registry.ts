import type { JobDefinition } from "./define-job";
import { dnsResyncJob, dnsSyncJob } from "./definitions/dns-sync";
import { destroyJob } from "./definitions/environment-destroy";
import { reconcileJob } from "./definitions/environment-reconcile";
import { sweepJob } from "./definitions/environment-sweep";
import { dataCopyJob } from "./definitions/data-copy";
import { lifecyclePassJob, notifyWebhookJob } from "./definitions/lifecycle";
import { webhookDeliveryJob } from "./definitions/webhook-delivery";

// Every kind of job Corral runs, in one place: the worker serves exactly these.
export const JOB_DEFINITIONS: readonly JobDefinition[] = [reconcileJob, destroyJob, sweepJob, dnsSyncJob, dnsResyncJob, dataCopyJob, lifecyclePassJob, notifyWebhookJob, webhookDeliveryJob] as unknown as JobDefinition[];

// Kinds a worker was given besides these (tests' own), so their titles read the same.
const added = new Map<string, JobDefinition>();

export function registerJobDefinition(definition: JobDefinition): void {
  added.set(definition.name, definition);
}

/** A definition by its name, for the job history's titles. */
export function jobDefinition(name: string): JobDefinition | undefined {
  return JOB_DEFINITIONS.find((d) => d.name === name) ?? added.get(name);
}
