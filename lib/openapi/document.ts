import { z } from "zod";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { STATUS_BY_CODE, type ErrorCode } from "@/lib/errors";
import { EXTRA_SCHEMAS, ROUTES, type DescribedError, type Method, type OtherAnswer, type RouteDoc, type RouteKey } from "./routes";

// The OpenAPI 3.1 document, made from the route registry (routes.ts) and the zod schemas it
// names with zod's own JSON Schema output (draft 2020-12, OpenAPI 3.1's dialect): request
// shapes as the input side of each schema (before defaults and transforms), answers as the
// output side. Schemas with a `.meta({ id })` become components, referred to by $ref.

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: Json;
  tags: Json[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; securitySchemes: Record<string, Json> };
}

const TAGS: [name: string, description: string][] = [
  ["environments", "Disposable environments: one namespace each, made from a template, a clone or a list of components."],
  ["logs", "Containers' logs, followed live or downloaded."],
  ["data", "An environment's own stores and copies of data into them."],
  ["templates", "Named sets of components with default versions, and the versions to pick from."],
  ["clusters", "The Kubernetes clusters environments are placed on."],
  ["data-sources", "MySQL/MariaDB, Redis and S3 sources to copy from, store hosts, masking rules."],
  ["lifecycle", "Expiry, sleep and waking, what environments cost, the lead's forecast, and their settings."],
  ["webhooks", "Signed HTTP posts of events (environment ready, failed, destroyed, expiring…) to URLs you choose, with a delivery log."],
  ["notifications", "What Corral told you about your environments."],
  ["tokens", "API tokens for pipelines."],
  ["people", "Who is calling; people who have signed in."],
  ["audit", "Who did what, when, from where."],
  ["sign-in", "Browser sign-in and sign-out (not for pipelines: they send a token)."],
  ["operations", "Health, readiness, metrics and this document."],
];

const ERROR_WORDS: Record<ErrorCode, string> = {
  invalid_input: "Invalid input: `details` maps each field (`components.0.image`) to its messages. Nothing was changed.",
  unauthenticated: "No session or API token, or one that is expired or revoked.",
  forbidden: "The caller's role, or the token's scopes, do not include the permission; or a cookie-signed change came from another origin.",
  not_found: "No such thing.",
  method_not_allowed: "The path does not serve that method; `Allow` names those it does.",
  conflict: "The request conflicts with the current state.",
  payload_too_large: "The body is larger than the route accepts (1 MB unless said).",
  rate_limited: "Too many changes or open streams; `Retry-After` says when to try again.",
  unavailable: "A dependency (the database, a cluster, a data source) is not answering; nothing was changed. Try again shortly.",
  internal: "Something went wrong on Corral's side; it was logged with the request id.",
};

const PARAM_WORDS: Record<string, string> = {
  component: "The component's name.",
  hostnameId: "The hostname's id.",
  jobId: "The job's id.",
  deliveryId: "The delivery's id.",
};

let cached: OpenApiDocument | null = null;

/** The document, built once per process: the registry and the schemas do not change while it runs. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildDocument();
  return cached;
}

function buildDocument(): OpenApiDocument {
  const schemas: Record<string, Json> = { ...errorComponents() };
  const paths: OpenApiDocument["paths"] = {};
  for (const [key, route] of Object.entries(ROUTES) as [RouteKey, RouteDoc][]) {
    const [method, path] = key.split(" ") as [Method, string];
    (paths[path] ??= {})[method.toLowerCase()] = operation(method, path, route, schemas);
  }
  for (const schema of EXTRA_SCHEMAS) jsonSchema(schema, "output", schemas);
  return {
    openapi: "3.1.0",
    info: {
      title: "Corral API",
      version: "v1",
      description: [
        "Everything the portal does, a pipeline can do through this API with a token: `Authorization: Bearer crl_…`, made on the API tokens page with the scopes it needs.",
        "",
        "Every error has one shape, `{ \"error\": { \"code\", \"message\", \"details\" } }`: 400 invalid input (`details` names each field), 401, 403, 404, 405 (with `Allow`), 409 conflict (a duplicate, or an action the current status does not allow, the status named), 413, 429 (with `Retry-After`), 503 a dependency down, 500.",
        "",
        "Long work (provisioning, changes, destroy, copies) answers 202 at once and goes on in the background; follow it on `GET /api/v1/environments/changes` (server-sent events) rather than polling.",
      ].join("\n"),
    },
    tags: TAGS.map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        (Object.keys(STATUS_BY_CODE) as ErrorCode[]).map((code) => [responseName(code), errorResponse(code, ERROR_WORDS[code])]),
      ),
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "corral_session", description: "The portal's session, after signing in. Changes must come from Corral's own origin." },
        token: { type: "http", scheme: "bearer", description: "An API token (`crl_…`), made on the API tokens page; its scopes are permissions within its owner's role." },
      },
    },
  };
}

function operation(method: Method, path: string, route: RouteDoc, schemas: Record<string, Json>): Json {
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const parameters = [
    ...pathParams.map((name) => ({ name, in: "path", required: true, schema: { type: "string" }, description: route.params?.[name] ?? PARAM_WORDS[name] ?? `The ${resourceOf(path)}'s id.` })),
    ...(route.query ? queryParameters(route.query) : []),
  ];
  const tag = route.tag ?? /^\/api\/v1\/([\w-]+)/.exec(path)?.[1] ?? "operations";
  const permission = route.permission;
  const op: Json = {
    operationId: operationId(method, path),
    summary: route.summary,
    description: [route.description, permission ? permissionWords(permission) : "Anyone may call it; no sign-in needed."].filter(Boolean).join("\n\n"),
    tags: [tag],
    ...(permission ? { "x-permission": permission } : {}),
    security: permission ? [{ session: [] }, { token: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input", schemas) } } } } : {}),
    responses: responses(method, route, pathParams.length > 0, schemas),
  };
  return op;
}

function responses(method: Method, route: RouteDoc, hasPathParams: boolean, schemas: Record<string, Json>): Json {
  const out: Json = {};
  const { ok } = route;
  const success: Json = { description: ok.description };
  if (ok.json) success.content = { "application/json": { schema: jsonSchema(ok.json, "output", schemas) } };
  if (ok.text) success.content = { [ok.text.type]: { schema: { type: "string", description: ok.text.description } } };
  if (ok.status === 303 || ok.status === 307) success.headers = { Location: { description: "Where the browser goes next.", schema: { type: "string" } } };
  out[String(ok.status)] = success;
  for (const status of ok.alsoWith ?? []) out[String(status)] = { ...success, description: `The same answer, with this status.` };

  const own = route.errors ?? {};
  const codes = new Map<number, ErrorCode>();
  const add = (status: DescribedError | 401 | 413 | 429 | 500, code: ErrorCode) => {
    if (out[String(status)]) return;
    codes.set(status, code);
    const words = (own as Record<number, string | undefined>)[status];
    out[String(status)] = words ? errorResponse(code, words) : { $ref: `#/components/responses/${responseName(code)}` };
  };
  const guarded = route.permission !== null;
  // A public route's path names a thing or nothing: a malformed id there is a 404 (the waker).
  if (route.body || route.query || (hasPathParams && guarded) || own[400]) add(400, "invalid_input");
  if (guarded) add(401, "unauthenticated");
  // A public route refuses a change from another origin too.
  if (guarded || method !== "GET" || own[403]) add(403, "forbidden");
  if (hasPathParams || own[404]) add(404, "not_found");
  if (own[409]) add(409, "conflict");
  if (route.body) add(413, "payload_too_large");
  if ((guarded && method !== "GET") || route.stream) add(429, "rate_limited");
  add(503, "unavailable");
  add(500, "internal");
  for (const [status, other] of Object.entries(route.others ?? {}) as [string, OtherAnswer][]) {
    const code = codes.get(Number(status));
    out[status] = withOther(out[status] as Json | undefined, code, other, schemas);
  }
  return out;
}

/** An answer that is not the error shape (the waker's page), beside the error answer of the same status if there is one. */
function withOther(base: Json | undefined, code: ErrorCode | undefined, other: OtherAnswer, schemas: Record<string, Json>): Json {
  const error = base && typeof base.$ref === "string" && code ? errorResponse(code, ERROR_WORDS[code]) : base;
  const content: Json = { ...(error?.content as Json | undefined) };
  if (other.json) {
    const schema = jsonSchema(other.json, "output", schemas);
    const errorSchema = (content["application/json"] as Json | undefined)?.schema;
    content["application/json"] = { schema: errorSchema ? { anyOf: [errorSchema, schema] } : schema };
  }
  if (other.html) content["text/html"] = { schema: { type: "string", description: other.html } };
  const headers = {
    ...(error?.headers as Json | undefined),
    ...Object.fromEntries(Object.entries(other.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: "string" } }])),
  };
  return {
    description: error ? `${other.description} In the error shape: ${error.description as string}` : other.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content,
  };
}

/** A zod schema as JSON Schema, its named parts moved to the components and referred to there. */
function jsonSchema(schema: z.ZodType, io: "input" | "output", components: Record<string, Json>): Json {
  const { $schema: _, $defs, ...root } = z.toJSONSchema(schema, { io, target: "draft-2020-12" }) as Json & { $defs?: Record<string, Json> };
  for (const [id, def] of Object.entries($defs ?? {})) {
    const moved = rewriteRefs(def) as Json;
    const existing = components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(moved)) {
      throw new Error(`Two different schemas are named ${id} in the API document (a request and an answer?): give one another id.`);
    }
    components[id] = moved;
  }
  return rewriteRefs(root) as Json;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace(/^#\/\$defs\//, "#/components/schemas/") : rewriteRefs(v)]),
  );
}

/** A query schema's fields as OpenAPI parameters; a repeated key (`?status=a&status=b`) is an array. */
function queryParameters(query: z.ZodObject): Json[] {
  const { properties = {}, required = [] } = z.toJSONSchema(query, { io: "input", target: "draft-2020-12" }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: "query", required: required.includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

// One named schema per error code (`ConflictError`…), each the one error shape with its code:
// a client generator gets a type per status, and a renderer has no allOf to merge.
function errorComponents(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const code of Object.keys(STATUS_BY_CODE) as ErrorCode[]) {
    const details =
      code === "invalid_input"
        ? z.record(z.string(), z.array(z.string())).meta({ description: "Each field's messages: `{ \"components.0.image\": [\"…\"] }`; `_` for the body as a whole." })
        : z.record(z.string(), z.unknown()).meta({ description: "More about it, when there is more (a 409's `status`, a 429's `retryAfterSeconds`)." });
    const error = z
      .object({
        error: z.object({
          code: z.literal(code),
          message: z.string().meta({ description: "What went wrong, in plain words, for a person." }),
          details,
        }),
      })
      .meta({ id: errorSchemaName(code) });
    jsonSchema(error, "output", out);
  }
  return out;
}

function errorResponse(code: ErrorCode, description: string): Json {
  const headers =
    code === "rate_limited"
      ? { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } }
      : code === "method_not_allowed"
        ? { Allow: { description: "The methods the path serves.", schema: { type: "string" } } }
        : undefined;
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { "application/json": { schema: { $ref: `#/components/schemas/${errorSchemaName(code)}` } } },
  };
}

function permissionWords(permission: keyof typeof PERMISSIONS): string {
  return `Needs the permission \`${permission}\` (roles: ${PERMISSIONS[permission].join(", ")}); with an API token, the scope \`${permission}\`.`;
}

function errorSchemaName(code: ErrorCode): string {
  return `${responseName(code)}Error`;
}

function responseName(code: ErrorCode): string {
  return code.replace(/(^|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase());
}

function resourceOf(path: string): string {
  const before = /\/([\w-]+)\/\{id\}/.exec(path)?.[1] ?? "resource";
  return before.replace(/-/g, " ").replace(/ies$/, "y").replace(/s$/, "");
}

function operationId(method: Method, path: string): string {
  const words = path
    .replace(/^\/api\/(v1\/)?/, "")
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      const word = param ? `by-${param}` : segment.replace(/\.json$/, "");
      return word.split(/[-.]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
    });
  return `${method.toLowerCase()}${words.join("")}`;
}
