import { z } from "zod";
import { CleanupStepStatus, EnvironmentLifecycle, EnvironmentPower, EnvironmentStatus, HostnameStatus, JobStatus } from "@/lib/db/generated/enums";
import type { Fits } from "@/lib/openapi/fits";
import type { EnvironmentDto } from "./environment-dto";
import type { EnvironmentDetail } from "./get-environment-or-throw";
import type { EnvironmentPage } from "./list-environments";
import type { KubeEventList } from "./list-kube-events";
import type { EnvVarView } from "./read-component-env";
import { ENVIRONMENT_ACTIONS } from "./state-machine";

// What the environments API answers, for the API document (lib/openapi). Each schema is held
// to the DTO it describes by a compile-time check (`Fits`), so neither drifts silently.

const iso = z.iso.datetime({ offset: true });
const action = z.enum(ENVIRONMENT_ACTIONS);

const hostnameSchema = z.object({
  id: z.string(),
  fqdn: z.string(),
  componentName: z.string().nullable(),
  status: z.enum(HostnameStatus),
  reason: z.string().nullable().meta({ description: "Why it is not live, in plain words." }),
  custom: z.boolean().meta({ description: "Added by a person, beside the names Corral gives." }),
  url: z.string(),
  live: z.boolean().meta({ description: "Route 53 says the record is in sync." }),
});

const componentSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string().meta({ description: "The pinned image, `repository:tag` or `repository@sha256:…`." }),
  repository: z.string(),
  tag: z.string().nullable(),
  digest: z.string().nullable(),
  replicas: z.number().int(),
  port: z.number().int().nullable(),
  public: z.boolean(),
  persistent: z.boolean().meta({ description: "Keeps running while the environment sleeps." }),
});

export const environmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(EnvironmentStatus),
    statusReason: z.string().nullable().meta({ description: "What is wrong, in plain words, when degraded or failed." }),
    desired: z.object({ lifecycle: z.enum(EnvironmentLifecycle), power: z.enum(EnvironmentPower) }),
    allowedActions: z.array(action).meta({ description: "What the caller may do to it now." }),
    owner: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    template: z.object({ id: z.string(), name: z.string() }).nullable(),
    cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
    hostnames: z.array(hostnameSchema),
    expiresAt: iso.nullable().meta({ description: "When it is destroyed unless extended; null while pinned." }),
    pinnedBy: z.string().nullable().meta({ description: "The lead who pinned it (no expiry)." }),
    lastActivityAt: iso,
    lastActivityKind: z.string().nullable().meta({ description: "What the last activity was, in plain words." }),
    asleepSince: iso.nullable(),
    createdAt: iso,
    updatedAt: iso,
    destroyedAt: iso.nullable(),
    components: z.array(componentSchema),
  })
  .meta({ id: "Environment" });

export const environmentPageSchema = z
  .object({
    items: z.array(environmentSchema),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "EnvironmentPage" });

const observedPodSchema = z.object({
  name: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number().int(),
  image: z.string().nullable(),
  reason: z.string().nullable(),
});

const observedComponentSchema = z.object({
  name: z.string(),
  desiredImage: z.string(),
  runningImage: z.string().nullable(),
  desired: z.number().int(),
  updated: z.number().int(),
  ready: z.number().int(),
  available: z.number().int(),
  complete: z.boolean(),
  problem: z.string().nullable(),
  failing: z.boolean(),
  pods: z.array(observedPodSchema),
});

const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  status: z.enum(JobStatus),
  cause: z.string(),
  progress: z.object({ fraction: z.number().optional(), counters: z.record(z.string(), z.number()).optional(), message: z.string().optional() }),
  error: z.string().nullable(),
  cancelRequested: z.boolean(),
  cancellable: z.boolean().meta({ description: "The caller may cancel it now." }),
  createdAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
});

export const environmentDetailSchema = environmentSchema
  .extend({
    actions: z.array(z.object({ action, allowed: z.boolean(), reason: z.string().nullable().meta({ description: "Why not, when not allowed." }) })),
    mayChange: z.boolean(),
    mayManageWebhooks: z.boolean().meta({ description: "May subscribe webhooks to this environment's events." }),
    cluster: z
      .object({ id: z.string(), name: z.string(), kubeContext: z.string().nullable(), urlScheme: z.string(), urlPort: z.number().int().nullable(), dnsDomain: z.string().nullable() })
      .nullable(),
    components: z.array(componentSchema.extend({ previousImage: z.string().nullable(), observed: observedComponentSchema.nullable() })),
    appliedAt: iso.nullable(),
    lifecycle: z.object({
      warnBeforeHours: z.number().int(),
      idleSleepHours: z.number().int().nullable(),
      extendUntil: iso.meta({ description: "The latest an extend may move its expiry to now." }),
      currency: z.string(),
      cost: z.number().meta({ description: "Its estimated cost so far: requested CPU and memory over the time they ran." }),
      saved: z.number().meta({ description: "What sleeping saved." }),
      awakeHours: z.number(),
      asleepHours: z.number(),
      requests: z.object({ cpu: z.number(), memoryGib: z.number() }),
    }),
    destroyedBy: z.string().nullable(),
    destroyReason: z.string().nullable(),
    history: z.array(
      z.object({ id: z.string(), fromStatus: z.enum(EnvironmentStatus).nullable(), toStatus: z.enum(EnvironmentStatus).nullable(), message: z.string(), createdAt: iso }),
    ),
    jobs: z.array(jobSchema),
    cleanup: z.array(z.object({ name: z.string(), title: z.string(), status: z.enum(CleanupStepStatus), error: z.string().nullable(), attempts: z.number().int() })),
  })
  .meta({ id: "EnvironmentDetail" });

export const kubeEventListSchema = z
  .object({
    items: z.array(
      z.object({
        type: z.string(),
        reason: z.string(),
        message: z.string(),
        object: z.string().meta({ description: "`Kind/name` of the object the event is about." }),
        count: z.number().int(),
        firstSeen: iso,
        lastSeen: iso,
      }),
    ),
  })
  .meta({ id: "KubeEventList" });

export const envVarListSchema = z
  .object({
    items: z.array(
      z.object({
        name: z.string(),
        value: z.string().nullable().meta({ description: "Null when hidden (a Secret's) or worked out by Kubernetes." }),
        from: z.string().nullable(),
        hidden: z.boolean(),
      }),
    ),
  })
  .meta({ id: "EnvVarList" });

/** One `change` event of the change stream. */
export const environmentChangeSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    at: iso,
    job: z.object({ id: z.string(), kind: z.string(), status: z.string(), cancel: z.boolean().optional() }).optional(),
  })
  .meta({ id: "EnvironmentChange" });

type _Environment = Fits<EnvironmentDto, typeof environmentSchema>;
type _Page = Fits<EnvironmentPage, typeof environmentPageSchema>;
type _Detail = Fits<EnvironmentDetail, typeof environmentDetailSchema>;
type _KubeEvents = Fits<KubeEventList, typeof kubeEventListSchema>;
type _EnvVars = Fits<{ items: EnvVarView[] }, typeof envVarListSchema>;
