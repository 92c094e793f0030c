import type { JobDefinition } from "./define-job";
import { destroyJob } from "./definitions/environment-destroy";
import { reconcileJob } from "./definitions/environment-reconcile";
import { sweepJob } from "./definitions/environment-sweep";

// Every kind of job Corral runs, in one place: the worker serves exactly these.
export const JOB_DEFINITIONS: readonly JobDefinition[] = [reconcileJob, destroyJob, sweepJob] as unknown as JobDefinition[];

/** A definition by its name, for the job history's titles. */
export function jobDefinition(name: string): JobDefinition | undefined {
  return JOB_DEFINITIONS.find((d) => d.name === name);
}
