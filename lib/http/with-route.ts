import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/get-actor";
import { can, type Permission } from "@/lib/auth/permissions";
import { type AuditEntry, recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { toAppError } from "./map-error";
import { findUnsafeText } from "@/lib/input/text";
import { metrics, routeOf } from "@/lib/ops/metrics";
import { consumeRateLimit } from "./rate-limits";
import { runInRequest } from "./request-context";
import { clientIp, isSameOrigin } from "./request-meta";
import { holdStreamSlot, releasedWhenDone } from "./stream-slots";
import { parseOrThrow } from "./validation";
import { touchActivity } from "@/lib/lifecycle/touch-activity";

type Params = Record<string, string | string[] | undefined>;
type Segment<P> = { params: Promise<P> };
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const MAX_BODY_BYTES = 1_000_000;
const REQUEST_ID = /^[\w.:-]{1,100}$/;

export interface PublicContext<P extends Params> {
  request: NextRequest;
  params: P;
  requestId: string;
  /** The JSON body, validated; a 400 with field messages when it does not fit. */
  body<S extends z.ZodType>(schema: S): Promise<z.infer<S>>;
  /** The query string, validated; repeated keys become arrays. */
  query<S extends z.ZodType>(schema: S): z.infer<S>;
}

export interface RouteContext<P extends Params> extends PublicContext<P> {
  actor: Actor;
  /**
   * Whether the request's session or token would still be let through now, for long-lived
   * answers (streams): a sign-out, a revoked token or a lowered role ends them.
   */
  stillAllowed: () => Promise<boolean>;
}

interface AuditOptions {
  action: string;
  targetType: string;
  /** Fields of the result copied into the entry's details (names and ids, never secrets). */
  fields?: string[];
}

interface RespondOptions {
  /** Status of a successful answer that is not already a Response. */
  status?: number;
  /** The most a request body may hold; reading stops there with a 413. 1 MB unless said. */
  maxBodyBytes?: number;
}

interface RouteOptions extends RespondOptions {
  permission: Permission;
  /**
   * The answer is a long-lived stream (logs, live changes): it holds one of the caller's
   * open-stream slots while it runs, and a caller over the limit gets a 429.
   */
  stream?: boolean;
  /** How a change is named in the audit log; GETs are not audited. */
  audit?: AuditOptions;
}

/**
 * Wraps a route handler once so that request ids, the actor, permission, CSRF, awaited
 * params, input parsing, audit and error mapping are written here and not in every handler.
 */
export function withRoute<P extends Params = Params>(options: RouteOptions, handler: (ctx: RouteContext<P>) => Promise<unknown>) {
  const wrapped = (request: NextRequest, segment: Segment<P>) =>
    respond<P>(request, segment, options, async (ctx) => {
      let actor: Actor | null = null;
      const { params } = ctx;
      try {
        actor = await getActor(request);
        if (!SAFE_METHODS.has(request.method) && actor.via === "session" && !isSameOrigin(request)) {
          throw new AppError("forbidden", "This change did not come from Corral's own pages. Use an API token from scripts.");
        }
        if (!can(actor.role, options.permission)) {
          throw new AppError("forbidden", `Your role (${actor.role}) may not ${describe(options.permission)}.`);
        }
        if (actor.scopes && !actor.scopes.includes(options.permission)) {
          throw new AppError("forbidden", `This API token lacks the scope ${options.permission}.`);
        }
        const stillAllowed = async () => {
          try {
            const now = await getActor(request);
            return now.id === actor!.id && can(now.role, options.permission) && (!now.scopes || now.scopes.includes(options.permission));
          } catch {
            return false;
          }
        };
        if (!SAFE_METHODS.has(request.method)) await consumeRateLimit(actor, "mutations");
        if (options.stream) await consumeRateLimit(actor, "streams");
        const release = options.stream ? holdStreamSlot(actor, request.signal) : null;
        let result: unknown;
        try {
          result = await handler({ ...ctx, actor, stillAllowed });
        } catch (error) {
          release?.();
          throw error;
        }
        if (release) result = releasedWhenDone(result, release);
        if (options.audit) await audit(request, actor, options.audit, params, result, "ok");
        const activity = activityOf(request, params, actor);
        if (activity) void touchActivity(activity.environmentId, activity.kind);
        return result;
      } catch (error) {
        if (options.audit && actor) await audit(request, actor, options.audit, params, undefined, toAppError(error).code);
        throw error;
      }
    });
  // What the route declares, for the tests that hold the API document to the routes.
  return Object.assign(wrapped, { permission: options.permission, status: options.status ?? 200, stream: options.stream ?? false });
}

/**
 * Whether this request is someone using an environment, for sleep and the lead's view: a look at
 * its logs, or a pipeline's call about it. Here because the wrapper is the one place that sees
 * every request with its route; changes are counted where they are made (change-environment.ts).
 * A browser showing its page is not use: an open tab would keep it awake forever.
 */
function activityOf(request: NextRequest, params: Params, actor: Actor): { environmentId: string; kind: string } | null {
  const id = params["id"];
  if (typeof id !== "string" || !request.nextUrl.pathname.startsWith("/api/v1/environments/")) return null;
  if (/\/logs(\/|$)/.test(request.nextUrl.pathname)) return { environmentId: id, kind: "logs viewed" };
  return actor.via === "session" ? null : { environmentId: id, kind: "API use" };
}

/** For the few routes that need no signed-in person (sign-in itself). */
export function withPublicRoute<P extends Params = Params>(handler: (ctx: PublicContext<P>) => Promise<unknown>, options: RespondOptions = {}) {
  return (request: NextRequest, segment: Segment<P>) =>
    respond<P>(request, segment, options, async (ctx) => {
      if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
        throw new AppError("forbidden", "This request did not come from Corral's own pages.");
      }
      return handler(ctx);
    });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type NotAllowedHandler = ((request: NextRequest) => Response) & { notAllowed: true };

/**
 * The handlers for the methods a route file does not serve, so they answer 405 in the error
 * shape with `Allow` (Next.js's own 405 has neither). Each route file ends with
 * `export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");`.
 */
export function otherMethods<A extends Method>(...allowed: A[]): Record<Exclude<Method, A>, NotAllowedHandler> {
  const allow = [...allowed, ...(allowed.includes("GET" as A) ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const out: Partial<Record<Method, NotAllowedHandler>> = {};
  for (const method of METHODS.filter((m) => !allowed.includes(m as A))) {
    const handler = (request: NextRequest) =>
      Response.json(
        { error: { code: "method_not_allowed", message: `${request.method} is not allowed here; use ${allowed.join(" or ")}.`, details: { allow: allowed } } },
        { status: 405, headers: { allow } },
      );
    out[method] = Object.assign(handler, { notAllowed: true as const });
  }
  return out as Record<Exclude<Method, A>, NotAllowedHandler>;
}

async function respond<P extends Params>(
  request: NextRequest,
  segment: Segment<P> | undefined,
  options: RespondOptions,
  run: (ctx: PublicContext<P>) => Promise<unknown>,
): Promise<Response> {
  const given = request.headers.get("x-request-id");
  const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
  const started = performance.now();
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let response: Response;
  try {
    const params = segment?.params ? await segment.params : ({} as P);
    rejectUnsafeText(params);
    const result = await runInRequest(requestId, () => run({
      request,
      requestId,
      params,
      body: async (schema) => {
        const input = await readJson(request, maxBodyBytes);
        rejectUnsafeText(input);
        return parseOrThrow(schema, input);
      },
      query: (schema) => {
        const input = searchParamsToObject(request.nextUrl.searchParams);
        rejectUnsafeText(input);
        return parseOrThrow(schema, input);
      },
    }));
    response = result instanceof Response ? result : Response.json(result, { status: options.status ?? 200 });
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.code === "internal" || error.code === "unavailable") {
      log.error({ requestId, err: thrown }, "request failed");
    } else if (thrown instanceof AppError && thrown.cause) {
      log.warn({ requestId, code: error.code, cause: String((thrown.cause as Error)?.message ?? thrown.cause) }, error.message);
    }
    response = Response.json({ error: { code: error.code, message: error.message, details: error.details ?? {} } }, { status: error.status });
    if (error.code === "rate_limited" && typeof error.details?.retryAfterSeconds === "number") {
      response.headers.set("retry-after", String(error.details.retryAfterSeconds));
    }
  }
  response.headers.set("x-request-id", requestId);
  const seconds = (performance.now() - started) / 1000;
  const labels = { route: routeOf(request.nextUrl.pathname), method: request.method, status: String(response.status) };
  metrics().httpDuration.observe(labels, seconds);
  metrics().httpRequests.inc(labels);
  log.info(
    { requestId, method: request.method, path: request.nextUrl.pathname, status: response.status, ms: Math.round(performance.now() - started) },
    "request",
  );
  return response;
}

/** The one text rule, on every string a request carries: a 400 naming the field. */
function rejectUnsafeText(input: unknown) {
  const found = findUnsafeText(input);
  if (found) throw new AppError("invalid_input", "Some fields are not valid.", { [found.path]: [found.message] });
}

async function audit(request: NextRequest, actor: Actor, options: AuditOptions, params: Params, result: unknown, outcome: string) {
  const resultId = typeof result === "object" && result !== null && "id" in result && typeof result.id === "string" ? result.id : null;
  const paramId = typeof params.id === "string" ? params.id : null;
  await recordAudit({
    actor,
    action: options.action,
    targetType: options.targetType,
    targetId: resultId ?? paramId,
    ip: clientIp(request),
    outcome,
    details: pickDetails(result, options.fields ?? ["name"]),
  });
}

function pickDetails(result: unknown, fields: string[]): AuditEntry["details"] {
  if (typeof result !== "object" || result === null) return {};
  const details: NonNullable<AuditEntry["details"]> = {};
  for (const field of fields) {
    const value: unknown = (result as Record<string, unknown>)[field];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) details[field] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) details[field] = value;
  }
  return details;
}

function describe(permission: Permission) {
  const [what, verb] = permission.split(":");
  return `${verb?.replace(/-/g, " ")} ${what?.replace(/-/g, " ")}`;
}

/**
 * The body as JSON, read no further than `limit` bytes: a chunked upload with no
 * Content-Length is cut off at the limit instead of being buffered whole.
 */
async function readJson(request: Request, limit: number): Promise<unknown> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw tooLarge(limit);
  const text = await readTextUpTo(request, limit);
  if (text.trim() === "") return {};
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
    throw new AppError("invalid_input", "Send the body as JSON, with Content-Type: application/json.", { _: ["Send a JSON object."] });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_input", "The request body is not valid JSON.", { _: ["Send a JSON object."] });
  }
}

async function readTextUpTo(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(limit: number) {
  return new AppError("payload_too_large", `The request body is larger than ${formatBytes(limit)}.`, { _: [`Send at most ${formatBytes(limit)}.`] });
}

function formatBytes(bytes: number) {
  return bytes >= 1_000_000 ? `${bytes / 1_000_000} MB` : `${bytes / 1_000} kB`;
}

function searchParamsToObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
