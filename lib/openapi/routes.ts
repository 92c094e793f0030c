import { z } from "zod";
import { auditPageSchema } from "@/lib/audit/response-schemas";
import { auditQuerySchema } from "@/lib/audit/schemas";
import type { Permission } from "@/lib/auth/permissions";
import { apiTokenListSchema, apiTokenSchema, createdApiTokenSchema, meSchema, signedInSchema, userListSchema } from "@/lib/auth/response-schemas";
import { createApiTokenSchema, listUsersQuerySchema, localSignInSchema } from "@/lib/auth/schemas";
import { clusterListSchema, clusterSchema, deletedClusterSchema } from "@/lib/clusters/response-schemas";
import { clusterInputSchema } from "@/lib/clusters/schemas";
import { maskingPreviewInputSchema, maskingRulesSchema } from "@/lib/data/masking/schemas";
import {
  dataCopySchema,
  dataSourceInspectionSchema,
  dataSourceListSchema,
  dataSourceSchema,
  dataSourceTestSchema,
  deletedDataSourceSchema,
  environmentDataSchema,
  maskingPreviewSchema,
  savedMaskingRulesSchema,
} from "@/lib/data/response-schemas";
import { copyInputSchema, dataSourceInputSchema } from "@/lib/data/schemas";
import {
  envVarListSchema,
  environmentChangeSchema,
  environmentDetailSchema,
  environmentPageSchema,
  environmentSchema,
  kubeEventListSchema,
} from "@/lib/environments/response-schemas";
import {
  addHostnameSchema,
  changeVersionSchema,
  createEnvironmentSchema,
  destroyQuerySchema,
  environmentChangesQuerySchema,
  handOverSchema,
  listEnvironmentsQuerySchema,
  scaleComponentSchema,
} from "@/lib/environments/schemas";
import { imageVersionsQuerySchema, imageVersionsSchema } from "@/lib/image-versions/schemas";
import {
  bulkDestroyResultSchema,
  environmentOverviewSchema,
  lifecycleForecastSchema,
  lifecycleSettingsAnswerSchema,
  markedReadSchema,
  notificationListSchema,
  testNotificationSchema,
  usageReportSchema,
  wakerAnswerSchema,
} from "@/lib/lifecycle/response-schemas";
import { bulkDestroySchema, extendSchema, forecastQuerySchema, lifecycleSettingsSchema, overviewQuerySchema, usageQuerySchema } from "@/lib/lifecycle/schemas";
import { downloadLogsQuerySchema, followLogsQuerySchema } from "@/lib/logs/schemas";
import { deletedTemplateSchema, templateListSchema, templateSchema } from "@/lib/templates/response-schemas";
import { templateInputSchema } from "@/lib/templates/schemas";
import {
  createdWebhookSchema,
  deletedWebhookSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookListSchema,
  webhookSchema,
} from "@/lib/webhooks/response-schemas";
import { createWebhookSchema, listDeliveriesQuerySchema, listWebhooksQuerySchema, updateWebhookSchema } from "@/lib/webhooks/schemas";

// The API's description: one entry per route handler under app/api, keyed "METHOD /path"
// (path parameters as {id}), naming the same zod schemas the handler parses with and the
// schema of what it answers. lib/openapi/document.ts turns this into the OpenAPI document;
// test/api/openapi-routes.test.ts fails, naming the entry, when a handler is missing here
// or its permission, status or stream flag differs from what its withRoute declares.
//
// To describe a new route: add an entry with its summary, permission, body/query schemas and
// `ok` (the success status and answer schema, a response schema beside its domain), plus
// `errors` for what only it answers (a 409, say). 400, 401, 403, 404 (an unknown id in the
// path), 413, 429, 500 and 503 are added by the document wherever they can happen.

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type RouteKey = `${Method} /api/${string}`;
/** Statuses a route may describe in its own words; the rest are described once for all. */
export type DescribedError = 400 | 403 | 404 | 409 | 503;

export interface RouteDoc {
  summary: string;
  description?: string;
  /** What withRoute checks; null for the few routes anyone may call (sign-in, health). */
  permission: Permission | null;
  /** Groups operations on the reference page; the resource after /api/v1/ unless said. */
  tag?: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  ok: Answer;
  errors?: Partial<Record<DescribedError, string>>;
  /** A long-lived stream: it holds one of the caller's open-stream slots (429 past the limit). */
  stream?: boolean;
  /** Words for path parameters where "the <resource>'s id" would be wrong. */
  params?: Record<string, string>;
  /** Answers besides `ok` and the error shape, by status (the waker's page), listed beside the error answer of that status. */
  others?: Partial<Record<number, OtherAnswer>>;
}

export interface OtherAnswer {
  description: string;
  /** A JSON answer that is not the error shape; where the status has an error answer too, either may come. */
  json?: z.ZodType;
  /** An HTML page, described in words. */
  html?: string;
  /** Headers it sets, by name, in words. */
  headers?: Record<string, string>;
}

export interface Answer {
  status: 200 | 201 | 202 | 303 | 307;
  description: string;
  /** The JSON answer's schema. */
  json?: z.ZodType;
  /** A body that is not JSON: a stream, a download. */
  text?: { type: "text/event-stream" | "text/csv" | "text/plain"; description: string };
  /** Other statuses that answer with this same body (readiness: 503). */
  alsoWith?: number[];
}

const STATE = "The environment's status does not allow it now (the status is named in the message and in `details.status`), or it has nothing to go back to.";
const KUBE = "The cluster could not be asked; the message says why in plain words.";
const accepted = (what: string) => ({ status: 202 as const, description: `${what} Returns the environment as it is now; follow the change stream for the rest.`, json: environmentDetailSchema });

export const ROUTES: Record<RouteKey, RouteDoc> = {
  // ── signing in and operations ────────────────────────────────────────────────────────────
  "POST /api/auth/local": {
    summary: "Sign in by name and role (quick start only)",
    description: "The quick start's pick-a-name sign-in; sets the session cookie. Refused (403) unless the installation turns local sign-in on.",
    permission: null,
    tag: "sign-in",
    body: localSignInSchema,
    ok: { status: 200, description: "Signed in; the session cookie is set.", json: signedInSchema },
    errors: { 403: "Local sign-in is turned off, or the request did not come from Corral's own pages.", 409: "The name signed in before with another role." },
  },
  "GET /api/auth/oidc/start": {
    summary: "Start single sign-on",
    description: "Redirects the browser to the OpenID Connect provider. `returnTo` is a path on Corral to come back to.",
    permission: null,
    tag: "sign-in",
    query: z.object({ returnTo: z.string().optional().meta({ description: "A path on Corral; anything else goes to /environments." }) }),
    ok: { status: 307, description: "To the sign-in provider." },
    errors: { 404: "Single sign-on is not configured on this installation.", 503: "The sign-in provider does not answer." },
  },
  "GET /api/auth/oidc/callback": {
    summary: "Finish single sign-on",
    description: "The provider sends the browser back here with a code; Corral sets the session cookie and redirects to where the sign-in started, or to the sign-in page with an error code.",
    permission: null,
    tag: "sign-in",
    ok: { status: 307, description: "To the page the sign-in started from, or to /sign-in?error=… (a fixed code: nothing from the URL reaches the page)." },
  },
  "POST /api/auth/sign-out": {
    summary: "Sign out",
    description: "Ends this browser's session and redirects to the sign-in page (a plain form post).",
    permission: null,
    tag: "sign-in",
    ok: { status: 303, description: "To the sign-in page; the session cookie is cleared." },
  },
  "GET /api/healthz": {
    summary: "Liveness",
    description: "The process is up; no dependency is checked (that is /api/readyz).",
    permission: null,
    tag: "operations",
    ok: { status: 200, description: "Up.", json: z.object({ status: z.literal("ok") }) },
  },
  "GET /api/readyz": {
    summary: "Readiness",
    description: "200 when every dependency answers; 503 with the same body naming the ones that do not.",
    permission: null,
    tag: "operations",
    ok: {
      status: 200,
      description: "Every dependency answers; 503 with `ready: false` when one does not.",
      alsoWith: [503],
      json: z.object({
        ready: z.boolean(),
        checks: z.array(z.object({ name: z.string(), ok: z.boolean(), ms: z.number(), message: z.string().optional() })),
      }),
    },
  },
  "GET /api/metrics": {
    summary: "Prometheus metrics",
    permission: "metrics:read",
    tag: "operations",
    ok: { status: 200, description: "Metrics in Prometheus text format.", text: { type: "text/plain", description: "Prometheus exposition format 0.0.4." } },
  },
  "GET /api/v1/openapi.json": {
    summary: "This API's description",
    description: "The OpenAPI 3.1 document you are reading; anyone may read it. It describes shapes only, never data.",
    permission: null,
    tag: "operations",
    ok: { status: 200, description: "The OpenAPI document.", json: z.record(z.string(), z.unknown()) },
  },
  "GET /api/v1/me": {
    tag: "people",
    summary: "Who is calling",
    description: "The signed-in person or the token's owner, with the role and what the caller may do.",
    permission: "profile:read",
    ok: { status: 200, description: "The caller.", json: meSchema },
  },

  // ── environments ─────────────────────────────────────────────────────────────────────────
  "GET /api/v1/environments": {
    summary: "List environments",
    description: "A page of environments, newest first, filtered by owner (`me` or an e-mail), status (repeatable) and name. Destroyed ones only when asked for by status.",
    permission: "environments:read",
    query: listEnvironmentsQuerySchema,
    ok: { status: 200, description: "A page of environments.", json: environmentPageSchema },
  },
  "POST /api/v1/environments": {
    summary: "Create an environment",
    description:
      "Records a new environment from a template, a clone of another, or a list of components; provisioning happens in the background. Follow it on the change stream (or the `corral` CLI's `--wait`).",
    permission: "environments:create",
    body: createEnvironmentSchema,
    ok: { status: 202, description: "Recorded as provisioning.", json: environmentSchema },
    errors: { 400: "Invalid input, or a template, environment to clone or cluster that does not exist: `details` names the field.", 409: "An environment of that name already exists." },
  },
  "GET /api/v1/environments/changes": {
    summary: "Follow changes (server-sent events)",
    description:
      "One `change` event (data: EnvironmentChange) per change of any environment, or of the one named by `id`. A `: connected` comment once changes are heard; `resync` when changes may have been missed (fetch again); `unauthorized`, then the end, when the reader was signed out.",
    permission: "environments:read",
    tag: "environments",
    stream: true,
    query: environmentChangesQuerySchema,
    ok: { status: 200, description: "The stream.", text: { type: "text/event-stream", description: "Events `change` (EnvironmentChange), `resync`, `unauthorized`." } },
  },
  "GET /api/v1/environments/{id}": {
    summary: "Get an environment",
    description: "One environment with its components, what the cluster reports of them, every action with whether the caller may take it now (and why not), its history, jobs and clean-up steps.",
    permission: "environments:read",
    ok: { status: 200, description: "The environment.", json: environmentDetailSchema },
  },
  "DELETE /api/v1/environments/{id}": {
    summary: "Destroy an environment",
    description: "The namespace, hostnames and stores go in the background; the record and its history stay. Asking again while it is being destroyed is no error. `environments:destroy-any` lifts the owner rule.",
    permission: "environments:destroy",
    query: destroyQuerySchema,
    ok: accepted("Destroy requested."),
    errors: { 403: "Not the owner (and no environments:destroy-any), or a token without the scope.", 409: STATE },
  },
  "PATCH /api/v1/environments/{id}/components/{component}": {
    summary: "Change a component's version",
    description: "Pins the component to another image; it rolls out in the background.",
    permission: "environments:update",
    body: changeVersionSchema,
    ok: accepted("The change is recorded."),
    errors: { 403: "Not the owner (and no environments:update-any).", 404: "No such environment, or no such component in it.", 409: STATE },
  },
  "GET /api/v1/environments/{id}/components/{component}/env": {
    summary: "Read a component's environment variables",
    description: "As the cluster has them; values from Secrets hidden. Only for those who may change the environment; audited.",
    permission: "environments:update",
    ok: { status: 200, description: "The variables, by name.", json: envVarListSchema },
    errors: { 503: KUBE },
  },
  "PUT /api/v1/environments/{id}/components/{component}/replicas": {
    summary: "Scale a component",
    permission: "environments:update",
    body: scaleComponentSchema,
    ok: accepted("The change is recorded."),
    errors: { 409: STATE },
  },
  "POST /api/v1/environments/{id}/components/{component}/restart": {
    summary: "Restart a component",
    description: "Replaces every pod of the component; rolls out in the background.",
    permission: "environments:update",
    ok: accepted("The restart is recorded."),
    errors: { 409: STATE },
  },
  "GET /api/v1/environments/{id}/data": {
    summary: "An environment's data stores and copies",
    description: "Its stores (or why there is none) and the copies into them, newest first, with progress and verification.",
    permission: "environments:read",
    tag: "data",
    ok: { status: 200, description: "Stores and copies.", json: environmentDataSchema },
  },
  "POST /api/v1/environments/{id}/data/copies": {
    summary: "Copy data into an environment",
    description:
      "Replaces one of the environment's stores with a data source's data or another environment's store (emptied first: `confirm` is the environment's name). A protected source needs `data:clone-protected` and is masked. Progress follows on the change stream.",
    permission: "data:clone",
    tag: "data",
    body: copyInputSchema,
    ok: { status: 202, description: "The copy is queued.", json: dataCopySchema },
    errors: { 403: "Not the owner, or a protected source without data:clone-protected.", 409: "The environment has no ready store of that kind, or a copy into it is under way." },
  },
  "POST /api/v1/environments/{id}/hostnames": {
    summary: "Add a hostname",
    description: "A name under the environment's own (`demo.<env>.<zone>`), routed to a public component; its DNS record follows in the background.",
    permission: "environments:update",
    body: addHostnameSchema,
    ok: accepted("The hostname is recorded."),
    errors: { 409: `The name is already one of the environment's. ${STATE}` },
  },
  "DELETE /api/v1/environments/{id}/hostnames/{hostnameId}": {
    summary: "Remove a hostname",
    description: "Only names people added; its record goes in the background.",
    permission: "environments:update",
    ok: accepted("The removal is recorded."),
    errors: { 409: `The name comes from a public component, not from a person. ${STATE}` },
  },
  "POST /api/v1/environments/{id}/jobs/{jobId}/cancel": {
    summary: "Cancel a job",
    description: "Stops a queued or running job of the environment (one that may be cancelled).",
    permission: "environments:update",
    ok: {
      status: 202,
      description: "The cancel is requested.",
      json: z.object({ id: z.string(), kind: z.string(), status: z.string(), cancelRequestedAt: z.iso.datetime({ offset: true }).nullable() }),
    },
    errors: { 404: "No such job on this environment.", 409: "The job has ended, or is of a kind Corral would only start again." },
  },
  "GET /api/v1/environments/{id}/kube-events": {
    summary: "Kubernetes events",
    description: "The latest events in the environment's namespace, newest first, each with its count.",
    permission: "environments:read",
    ok: { status: 200, description: "The events.", json: kubeEventListSchema },
    errors: { 503: KUBE },
  },
  "GET /api/v1/environments/{id}/logs": {
    summary: "Follow logs (server-sent events)",
    description:
      "Container logs of a component (all its pods) or a pod, the last `tailLines` (or from `since`), then followed live. Events: `sources`, `lines` (each line `[source, time, text]`; the event id is a cursor to resume from with Last-Event-ID or `cursor`), `problem`, `end`.",
    permission: "environments:read",
    tag: "logs",
    stream: true,
    query: followLogsQuerySchema,
    ok: { status: 200, description: "The stream.", text: { type: "text/event-stream", description: "Events `sources`, `lines`, `problem`, `end`." } },
    errors: { 404: "No such environment, component or pod.", 409: "The environment has no cluster yet.", 503: KUBE },
  },
  "GET /api/v1/environments/{id}/logs/download": {
    summary: "Download logs",
    description: "Logs of a time range as a text file; colours kept, other terminal escapes removed unless `raw=true`.",
    permission: "environments:read",
    tag: "logs",
    query: downloadLogsQuerySchema,
    ok: { status: 200, description: "The lines.", text: { type: "text/plain", description: "One line a line, with its source and time." } },
    errors: { 404: "No such environment, component or pod.", 409: "The environment has no cluster yet.", 503: KUBE },
  },
  "PUT /api/v1/environments/{id}/owner": {
    summary: "Hand an environment over",
    description: "To another person who has signed in, named by e-mail; from then on they may destroy it and the former owner may not.",
    permission: "environments:update",
    body: handOverSchema,
    ok: { status: 200, description: "The environment with its new owner.", json: environmentDetailSchema },
    errors: { 400: "Invalid input, or nobody with that e-mail has signed in yet (`details.owner`).", 409: STATE },
  },
  "POST /api/v1/environments/{id}/retry": {
    summary: "Retry after a failure",
    description: "Applies the desired state again (or resumes a destroy whose clean-up step failed).",
    permission: "environments:update",
    ok: accepted("The retry is recorded."),
    errors: { 409: STATE },
  },
  "POST /api/v1/environments/{id}/rollback": {
    summary: "Roll back",
    description: "Puts every changed component back on its previous image.",
    permission: "environments:update",
    ok: accepted("The rollback is recorded."),
    errors: { 409: STATE },
  },
  "POST /api/v1/environments/{id}/upgrade": {
    summary: "Move to the template's versions",
    description: "Moves every component to its template's current default version.",
    permission: "environments:update",
    ok: accepted("The change is recorded."),
    errors: { 409: `${STATE} Or it was not made from a template, or the template is gone.` },
  },

  "POST /api/v1/environments/{id}/extend": {
    summary: "Extend an environment's time to live",
    description: "Moves its expiry later: `hours` added to the current expiry (or to now, if it passed), or to `until`; never past the longest time to live an admin allows from now. Nothing on the cluster changes.",
    permission: "environments:update",
    body: extendSchema,
    ok: { status: 200, description: "The environment with its new expiry.", json: environmentDetailSchema },
    errors: {
      400: "Invalid input: both or neither of `hours` and `until`, a time in the past, or beyond the longest time to live (`details` names the field and says the latest allowed).",
      403: "Not the owner (and no environments:update-any).",
      409: "It is pinned, so it has no expiry to move; or its status does not allow it (named in `details.status`).",
    },
  },
  "POST /api/v1/environments/{id}/pin": {
    summary: "Pin an environment",
    description: "A lead's call: it no longer expires and is never destroyed for sleeping too long. Pinning a pinned one changes nothing.",
    permission: "environments:update-any",
    ok: { status: 200, description: "The environment, pinned (`pinnedBy`, no `expiresAt`).", json: environmentDetailSchema },
    errors: { 403: "Not a lead or an admin, or a token without environments:update-any.", 409: "It is being destroyed (the status is named in `details.status`)." },
  },
  "DELETE /api/v1/environments/{id}/pin": {
    summary: "Unpin an environment",
    description: "It expires again after its template's time to live from now (at most the longest allowed). Unpinning one that is not pinned changes nothing.",
    permission: "environments:update-any",
    ok: { status: 200, description: "The environment with its new expiry.", json: environmentDetailSchema },
    errors: { 403: "Not a lead or an admin, or a token without environments:update-any.", 409: "It is being destroyed (the status is named in `details.status`)." },
  },
  "POST /api/v1/environments/{id}/sleep": {
    summary: "Put an environment to sleep",
    description: "Scales its components to zero (persistent ones stay up), keeping the replicas it wakes back to; its names lead to the waker, so a visit wakes it.",
    permission: "environments:update",
    ok: accepted("Sleep is recorded (status `sleeping`)."),
    errors: { 403: "Not the owner (and no environments:update-any).", 409: "Its status does not allow it: only Ready, Degraded, Updating or Failed, so not while asleep already (named in `details.status`)." },
  },
  "POST /api/v1/environments/{id}/wake": {
    summary: "Wake a sleeping environment",
    description: "Brings its components back to their replicas, in its template's start order.",
    permission: "environments:update",
    ok: accepted("The wake is recorded."),
    errors: { 403: "Not the owner (and no environments:update-any).", 409: "It is not sleeping (the status is named in `details.status`)." },
  },
  "POST /api/v1/environments/bulk-destroy": {
    summary: "Destroy many environments",
    description:
      "A lead's tear-down: each environment is destroyed on its own, and one that refuses does not stop the rest. The answer says what became of every id asked for: `destroying`, `already-destroyed`, `refused` (with the reason) or `not-found`.",
    permission: "environments:bulk-destroy",
    body: bulkDestroySchema,
    ok: { status: 202, description: "What became of each; the destroys go on in the background.", json: bulkDestroyResultSchema },
    errors: { 403: "Not a lead or an admin, or a token without environments:bulk-destroy.", 404: "None of the ids names an environment (when some do, the others are `not-found` in the answer)." },
  },
  "GET /api/v1/environments/overview": {
    summary: "Overview of live environments",
    description:
      "Every live environment with what a lead decides on: age, last activity, expiry, owner, estimated cost and what sleep saved; filtered and sorted as asked, with totals and sums per owner over what the filter kept (at most 5,000).",
    permission: "environments:read",
    query: overviewQuerySchema,
    ok: { status: 200, description: "The environments and totals.", json: environmentOverviewSchema },
  },

  // ── lifecycle: forecast, usage, settings, notifications, the waker ─────────────────────
  "GET /api/v1/lifecycle/forecast": {
    summary: "What expiry and sleep will do",
    description: "A dry run of the next `hours`: warnings, sleeps, expiries and destroys after sleeping, soonest first, from the same plan the lifecycle pass follows.",
    permission: "environments:read",
    query: forecastQuerySchema,
    ok: { status: 200, description: "The planned events.", json: lifecycleForecastSchema },
  },
  "GET /api/v1/usage": {
    summary: "Usage and cost a day",
    description: "Environments and estimated cost each day (UTC) of the last `days`, by owner or by template, and totals; a day's cost is what ran that day.",
    permission: "environments:read",
    tag: "lifecycle",
    query: usageQuerySchema,
    ok: { status: 200, description: "The days.", json: usageReportSchema },
  },
  "GET /api/v1/settings/lifecycle": {
    summary: "Lifecycle settings",
    description: "The longest time to live, the warning before expiry, idle time before sleep, time asleep before destroy, and prices. The notification webhook only as whether one is set.",
    permission: "environments:read",
    tag: "lifecycle",
    ok: { status: 200, description: "The settings.", json: lifecycleSettingsAnswerSchema },
  },
  "PUT /api/v1/settings/lifecycle": {
    summary: "Change the lifecycle settings",
    description: "`notifyWebhookUrl`: a Slack-compatible incoming webhook for warnings; absent keeps the one set, `\"\"` removes it. It is sealed at rest and never returned.",
    permission: "settings:manage",
    tag: "lifecycle",
    body: lifecycleSettingsSchema,
    ok: { status: 200, description: "The settings as saved.", json: lifecycleSettingsAnswerSchema },
    errors: { 403: "Not an admin (settings:manage)." },
  },
  "POST /api/v1/settings/lifecycle/test-webhook": {
    summary: "Test the notification webhook",
    description: "Posts a test message to it now (no retries) and says how it answered.",
    permission: "settings:manage",
    tag: "lifecycle",
    ok: { status: 200, description: "How it answered (a refusal or no answer is `ok: false`, not an error).", json: testNotificationSchema },
    errors: { 403: "Not an admin (settings:manage).", 409: "No notification webhook is set: save one first." },
  },
  "GET /api/v1/notifications": {
    summary: "Your notifications",
    description: "What Corral told the caller about their environments (expiring, expired, put to sleep, destroyed after sleeping), newest first, with the unread count.",
    permission: "profile:read",
    ok: { status: 200, description: "The notifications.", json: notificationListSchema },
  },
  "POST /api/v1/notifications/read": {
    summary: "Mark your notifications read",
    permission: "profile:read",
    tag: "notifications",
    ok: { status: 200, description: "How many were marked.", json: markedReadSchema },
  },
  "GET /api/waker/{id}": {
    summary: "Wake a sleeping environment by visiting it",
    description:
      "Where a sleeping environment's names lead (its cluster's ingress sends them here): wakes it, as Corral, and counts the visit as activity. Anyone who can reach the name may. A browser gets a \"waking up\" page (HTML, status 503 with `Retry-After`) that reloads itself once the application answers again; with `Accept: application/json`, how far along it is.",
    permission: null,
    tag: "lifecycle",
    params: { id: "The environment's id." },
    ok: { status: 200, description: "With `Accept: application/json`: woken if it slept, and how far along it is (`ready`).", json: wakerAnswerSchema },
    errors: { 404: "No environment has that id (or it is not an id)." },
    others: {
      404: {
        description: "It is destroyed or being destroyed: `gone: true` as JSON, or a page saying so.",
        json: wakerAnswerSchema,
        html: "A page saying the environment no longer exists.",
      },
      503: {
        description: "Without `Accept: application/json`: the \"waking up\" page, which polls and reloads itself once the application answers.",
        html: "The waking-up page.",
        headers: { "Retry-After": "Seconds before trying again (5)." },
      },
    },
  },

  // ── webhooks ──────────────────────────────────────────────────────────────────────────────
  "GET /api/v1/webhooks": {
    summary: "List webhooks",
    description: "The webhooks the caller manages (admins: every one; leads: every environment's; others: those of the environments they own), or one environment's; never their secrets.",
    permission: "webhooks:manage",
    query: listWebhooksQuerySchema,
    ok: { status: 200, description: "The webhooks.", json: webhookListSchema },
    errors: { 403: "`environmentId` names an environment whose webhooks the caller may not manage.", 404: "`environmentId` names no environment." },
  },
  "POST /api/v1/webhooks": {
    summary: "Subscribe a URL to events",
    description:
      "Of one environment (its owner, a lead or an admin) or, without `environmentId`, of every environment (admins). Each delivery is signed (`Corral-Signature`, HMAC-SHA256 over the timestamp and body) and retried with backoff. The signing secret is in this answer only.",
    permission: "webhooks:manage",
    body: createWebhookSchema,
    ok: { status: 201, description: "The webhook with its signing secret.", json: createdWebhookSchema },
    errors: {
      400: "Invalid input: a URL that is not http(s), carries a user name or a #fragment, or points at a private address (unless the installation allows it); an unknown `environmentId`; no events.",
      403: "Every environment's events: admins only. One environment's: its owner, a lead or an admin.",
      409: "The environment is destroyed: it sends no more events.",
      503: "CORRAL_SECRET_KEYS is missing or wrong: the signing secret cannot be sealed.",
    },
  },
  "GET /api/v1/webhooks/{id}": {
    summary: "Get a webhook",
    description: "Its URL, events, scope and last delivery (never its secret).",
    permission: "webhooks:manage",
    ok: { status: 200, description: "The webhook.", json: webhookSchema },
    errors: { 403: "Not the caller's to manage." },
  },
  "PATCH /api/v1/webhooks/{id}": {
    summary: "Change a webhook",
    description: "Its URL, events or description, or pause and resume it (`active`); its secret stays.",
    permission: "webhooks:manage",
    body: updateWebhookSchema,
    ok: { status: 200, description: "The webhook.", json: webhookSchema },
    errors: { 400: "Invalid input, or none of url, events, description and active (`details._`).", 403: "Not the caller's to manage." },
  },
  "DELETE /api/v1/webhooks/{id}": {
    summary: "Remove a webhook",
    description: "With its delivery log; deliveries still queued are not sent.",
    permission: "webhooks:manage",
    ok: { status: 200, description: "What was removed.", json: deletedWebhookSchema },
    errors: { 403: "Not the caller's to manage." },
  },
  "GET /api/v1/webhooks/{id}/deliveries": {
    summary: "A webhook's delivery log",
    description: "Newest first: each delivery's status, attempts, the receiver's last answer or the problem in plain words, and the body as sent.",
    permission: "webhooks:manage",
    query: listDeliveriesQuerySchema,
    ok: { status: 200, description: "The deliveries.", json: webhookDeliveryListSchema },
    errors: { 403: "Not the caller's to manage." },
  },
  "POST /api/v1/webhooks/{id}/test": {
    summary: "Send a test event",
    description: "A signed `webhook.test` event to this webhook (paused or not, whatever its events), retried like any other.",
    permission: "webhooks:manage",
    ok: { status: 202, description: "The delivery, queued; follow it in the delivery log.", json: webhookDeliverySchema },
    errors: { 403: "Not the caller's to manage." },
  },
  "POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
    summary: "Redeliver",
    description: "Sends a settled delivery (succeeded or failed) again: the same event id and body, a fresh timestamp and signature, a new round of attempts.",
    permission: "webhooks:manage",
    ok: { status: 202, description: "The delivery, pending again; its new round is queued.", json: webhookDeliverySchema },
    errors: {
      403: "Not the caller's to manage.",
      404: "No such webhook, or no such delivery of it.",
      409: "The webhook is paused (`details.active`), or the delivery is still being attempted (`details.status`).",
    },
  },

  // ── templates, versions, clusters ────────────────────────────────────────────────────────
  "GET /api/v1/templates": {
    summary: "List templates",
    permission: "templates:read",
    ok: { status: 200, description: "Every template with its components' default versions.", json: templateListSchema },
  },
  "POST /api/v1/templates": {
    summary: "Create a template",
    permission: "templates:manage",
    body: templateInputSchema,
    ok: { status: 201, description: "The template.", json: templateSchema },
    errors: { 409: "A template of that name exists." },
  },
  "GET /api/v1/templates/{id}": {
    summary: "Get a template",
    permission: "templates:read",
    ok: { status: 200, description: "The template with its components.", json: templateSchema },
  },
  "PUT /api/v1/templates/{id}": {
    summary: "Replace a template",
    description: "Its set of components included; environments made from it keep their versions until upgraded.",
    permission: "templates:manage",
    body: templateInputSchema,
    ok: { status: 200, description: "The template.", json: templateSchema },
    errors: { 409: "Another template has that name." },
  },
  "DELETE /api/v1/templates/{id}": {
    summary: "Delete a template",
    description: "Environments made from it live on.",
    permission: "templates:manage",
    ok: { status: 200, description: "What was deleted.", json: deletedTemplateSchema },
  },
  "GET /api/v1/image-versions": {
    summary: "Versions of an image",
    description: "The tags to pick from for a repository: templates' defaults, live environments' and the registry's, newest first; the registry's status says whether it could be asked.",
    permission: "templates:read",
    tag: "templates",
    query: imageVersionsQuerySchema,
    ok: { status: 200, description: "The versions.", json: imageVersionsSchema },
  },
  "GET /api/v1/clusters": {
    summary: "List clusters",
    permission: "clusters:manage",
    ok: { status: 200, description: "Every cluster, the default first.", json: clusterListSchema },
  },
  "POST /api/v1/clusters": {
    summary: "Add a cluster",
    description: "As the default, it replaces the previous one.",
    permission: "clusters:manage",
    body: clusterInputSchema,
    ok: { status: 201, description: "The cluster.", json: clusterSchema },
    errors: { 409: "A cluster of that name exists." },
  },
  "PUT /api/v1/clusters/{id}": {
    summary: "Replace a cluster's settings",
    permission: "clusters:manage",
    body: clusterInputSchema,
    ok: { status: 200, description: "The cluster.", json: clusterSchema },
    errors: { 409: "Another cluster has that name, or its environments hold names in the DNS zone being changed." },
  },
  "DELETE /api/v1/clusters/{id}": {
    summary: "Remove a cluster",
    permission: "clusters:manage",
    ok: { status: 200, description: "What was removed.", json: deletedClusterSchema },
    errors: { 409: "It still holds live environments." },
  },

  // ── data sources ─────────────────────────────────────────────────────────────────────────
  "GET /api/v1/data-sources": {
    summary: "List data sources",
    description: "Admins: every source and store host with its connection details (never a secret). Others: the sources they may copy from.",
    permission: "data:clone",
    ok: { status: 200, description: "The sources.", json: dataSourceListSchema },
  },
  "POST /api/v1/data-sources": {
    summary: "Register a data source",
    description: "A MySQL/MariaDB server, Redis server or S3 bucket. Its secret is sealed at rest and never returned.",
    permission: "data-sources:manage",
    body: dataSourceInputSchema,
    ok: { status: 201, description: "The source.", json: dataSourceSchema },
    errors: { 409: "A source of that name exists.", 503: "CORRAL_SECRET_KEYS is missing or wrong: the secret cannot be sealed." },
  },
  "GET /api/v1/data-sources/{id}": {
    summary: "Get a data source",
    permission: "data-sources:manage",
    ok: { status: 200, description: "Its settings and masking rules (never its secret).", json: dataSourceSchema },
  },
  "PUT /api/v1/data-sources/{id}": {
    summary: "Replace a data source's settings",
    description: "A missing secret keeps the stored one.",
    permission: "data-sources:manage",
    body: dataSourceInputSchema,
    ok: { status: 200, description: "The source.", json: dataSourceSchema },
    errors: { 409: "Another source has that name, or a store host that holds stores would move.", 503: "CORRAL_SECRET_KEYS is missing or wrong: the secret cannot be sealed." },
  },
  "DELETE /api/v1/data-sources/{id}": {
    summary: "Remove a data source",
    permission: "data-sources:manage",
    ok: { status: 200, description: "What was removed.", json: deletedDataSourceSchema },
    errors: { 409: "A store lives on it, or a copy came from it." },
  },
  "GET /api/v1/data-sources/{id}/inspect": {
    summary: "Inspect a data source before a copy",
    description: "A MySQL source's tables, the columns that look personal but have no masking rule, and rules that do not fit. A protected source: leads and admins (data:clone-protected).",
    permission: "data:clone",
    ok: { status: 200, description: "What the source holds; `problem` says why it could not be read.", json: dataSourceInspectionSchema },
    errors: { 403: "The source is protected and the caller lacks data:clone-protected." },
  },
  "PUT /api/v1/data-sources/{id}/masking-rules": {
    summary: "Replace masking rules",
    description: "Per `table.column` (MySQL) and per Redis key pattern.",
    permission: "masking-rules:manage",
    body: maskingRulesSchema,
    ok: { status: 200, description: "The rules as saved.", json: savedMaskingRulesSchema },
  },
  "POST /api/v1/data-sources/{id}/masking-preview": {
    summary: "Preview masking",
    description: "A few rows of a table before and after the rules being edited; nothing is saved. Audited (the table, never the rows).",
    permission: "masking-rules:manage",
    body: maskingPreviewInputSchema,
    ok: { status: 200, description: "Rows before and after.", json: maskingPreviewSchema },
    errors: { 404: "No such MySQL data source.", 503: "The source could not be read." },
  },
  "POST /api/v1/data-sources/{id}/test": {
    summary: "Test a data source's connection",
    description: "Connects with the stored credentials and says in plain words what works and what failed.",
    permission: "data-sources:manage",
    ok: { status: 200, description: "The outcome (a failure to connect is `ok: false`, not an error).", json: dataSourceTestSchema },
  },

  // ── tokens, people, audit ────────────────────────────────────────────────────────────────
  "GET /api/v1/tokens": {
    summary: "List your API tokens",
    description: "The caller's tokens, never their values.",
    permission: "tokens:manage",
    ok: { status: 200, description: "The tokens.", json: apiTokenListSchema },
  },
  "POST /api/v1/tokens": {
    summary: "Create an API token",
    description: "Only when signed in (a token cannot make tokens): scopes within the caller's role, at most 365 days. The value is in this answer only.",
    permission: "tokens:manage",
    body: createApiTokenSchema,
    ok: { status: 201, description: "The token with its value.", json: createdApiTokenSchema },
    errors: { 403: "The request was made with a token." },
  },
  "DELETE /api/v1/tokens/{id}": {
    summary: "Revoke an API token",
    description: "One of the caller's own; refused at once everywhere.",
    permission: "tokens:manage",
    ok: { status: 200, description: "The token as revoked.", json: apiTokenSchema },
  },
  "GET /api/v1/users": {
    tag: "people",
    summary: "Find people",
    description: "People who have signed in, by name or e-mail, at most 20 (to hand an environment over).",
    permission: "environments:update",
    query: listUsersQuerySchema,
    ok: { status: 200, description: "The people.", json: userListSchema },
  },
  "GET /api/v1/audit": {
    summary: "Read the audit log",
    description: "Entries newest first, filtered by actor (e-mail), action, target, outcome and time.",
    permission: "audit:read",
    query: auditQuerySchema,
    ok: { status: 200, description: "A page of entries.", json: auditPageSchema },
  },
  "GET /api/v1/audit/export": {
    summary: "Export the audit log",
    description: "Every entry matching the same filters, as a CSV download.",
    permission: "audit:read",
    query: auditQuerySchema,
    ok: { status: 200, description: "The entries.", text: { type: "text/csv", description: "time, actor, via, action, target_type, target_id, outcome, ip, details." } },
  },
};

/** Named schemas the document lists even where no operation's JSON names them (the change stream's events). */
export const EXTRA_SCHEMAS = [environmentChangeSchema];
