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
import { clientIp, isSameOrigin } from "./request-meta";
import { parseOrThrow } from "./validation";

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

interface RouteOptions {
  permission: Permission;
  /** Status of a successful answer that is not already a Response. */
  status?: number;
  /** How a change is named in the audit log; GETs are not audited. */
  audit?: AuditOptions;
}

/**
 * Wraps a route handler once so that request ids, the actor, permission, CSRF, awaited
 * params, input parsing, audit and error mapping are written here and not in every handler.
 */
export function withRoute<P extends Params = Params>(options: RouteOptions, handler: (ctx: RouteContext<P>) => Promise<unknown>) {
  const wrapped = (request: NextRequest, segment: Segment<P>) =>
    respond(request, options.status, async (ctx) => {
      let actor: Actor | null = null;
      const params = segment?.params ? await segment.params : ({} as P);
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
        const result = await handler({ ...ctx, params, actor, stillAllowed });
        if (options.audit) await audit(request, actor, options.audit, params, result, "ok");
        return result;
      } catch (error) {
        if (options.audit && actor) await audit(request, actor, options.audit, params, undefined, toAppError(error).code);
        throw error;
      }
    });
  return Object.assign(wrapped, { permission: options.permission });
}

/** For the few routes that need no signed-in person (sign-in itself). */
export function withPublicRoute<P extends Params = Params>(handler: (ctx: PublicContext<P>) => Promise<unknown>, options: { status?: number } = {}) {
  return (request: NextRequest, segment: Segment<P>) =>
    respond(request, options.status, async (ctx) => {
      if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
        throw new AppError("forbidden", "This request did not come from Corral's own pages.");
      }
      const params = segment?.params ? await segment.params : ({} as P);
      return handler({ ...ctx, params });
    });
}

async function respond(
  request: NextRequest,
  status: number | undefined,
  run: (ctx: Omit<PublicContext<never>, "params">) => Promise<unknown>,
): Promise<Response> {
  const given = request.headers.get("x-request-id");
  const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
  const started = performance.now();
  let response: Response;
  try {
    const result = await run({
      request,
      requestId,
      body: async (schema) => parseOrThrow(schema, await readJson(request)),
      query: (schema) => parseOrThrow(schema, searchParamsToObject(request.nextUrl.searchParams)),
    });
    response = result instanceof Response ? result : Response.json(result, { status: status ?? 200 });
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.code === "internal" || error.code === "unavailable") {
      log.error({ requestId, err: thrown }, "request failed");
    } else if (thrown instanceof AppError && thrown.cause) {
      log.warn({ requestId, code: error.code, cause: String((thrown.cause as Error)?.message ?? thrown.cause) }, error.message);
    }
    response = Response.json({ error: { code: error.code, message: error.message, details: error.details ?? {} } }, { status: error.status });
  }
  response.headers.set("x-request-id", requestId);
  log.info(
    { requestId, method: request.method, path: request.nextUrl.pathname, status: response.status, ms: Math.round(performance.now() - started) },
    "request",
  );
  return response;
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

async function readJson(request: Request): Promise<unknown> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge();
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

function tooLarge() {
  return new AppError("invalid_input", `The request body is larger than ${MAX_BODY_BYTES / 1_000_000} MB.`, { _: ["Send less."] });
}

function searchParamsToObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
