import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { type Actor, getActor } from "@/lib/auth/get-actor";
import { can, type Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { toAppError } from "./map-error";
import { parseOrThrow } from "./validation";

type Params = Record<string, string | string[] | undefined>;

export interface RouteContext<P extends Params> {
  request: NextRequest;
  params: P;
  actor: Actor;
  requestId: string;
  /** The JSON body, validated; a 400 with field messages when it does not fit. */
  body<S extends z.ZodType>(schema: S): Promise<z.infer<S>>;
  /** The query string, validated; repeated keys become arrays. */
  query<S extends z.ZodType>(schema: S): z.infer<S>;
}

interface RouteOptions {
  permission: Permission;
  /** Status of a successful answer that is not already a Response. */
  status?: number;
}

/**
 * Wraps a route handler once so that request ids, the actor, permission, awaited params,
 * input parsing and error mapping are written here and not in every handler.
 */
export function withRoute<P extends Params = Params>(
  options: RouteOptions,
  handler: (ctx: RouteContext<P>) => Promise<unknown>,
) {
  return async (request: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    const started = performance.now();
    let response: Response;
    try {
      const actor = await getActor(request);
      if (!can(actor.role, options.permission)) {
        throw new AppError("forbidden", `Your role (${actor.role}) may not ${options.permission.replace(":", " ")}.`);
      }
      const params = segment?.params ? await segment.params : ({} as P);
      const result = await handler({
        request,
        params,
        actor,
        requestId,
        body: async (schema) => parseOrThrow(schema, await readJson(request)),
        query: (schema) => parseOrThrow(schema, searchParamsToObject(request.nextUrl.searchParams)),
      });
      response = result instanceof Response ? result : Response.json(result, { status: options.status ?? 200 });
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "internal" || error.code === "unavailable") {
        log.error({ requestId, err: thrown }, "request failed");
      }
      response = Response.json(
        { error: { code: error.code, message: error.message, details: error.details ?? {} } },
        { status: error.status },
      );
    }
    response.headers.set("x-request-id", requestId);
    log.info(
      {
        requestId,
        method: request.method,
        path: request.nextUrl.pathname,
        status: response.status,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
    return response;
  };
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_input", "The request body is not valid JSON.", { _: ["Send a JSON object."] });
  }
}

function searchParamsToObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}
