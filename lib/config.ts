import "server-only";
import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { parseIngressTarget } from "@/lib/clusters/ingress-target";
import { registriesConfigSchema } from "@/lib/registry/registries-config";
import { parseSecretKeys } from "@/lib/secrets/secret-box";

const ROLE_PAIR = new RegExp(`^[^=]+=(${ROLES.join("|")})$`);

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const flag = z
  .enum(["true", "false", "1", "0", ""], { error: "must be true or false" })
  .optional()
  .transform((v) => v === "true" || v === "1");

// Configuration is read from the environment once and validated here, so a missing or
// malformed variable stops the process with a message naming it, not a stack trace later.
const configSchema = z
  .object({
    DATABASE_URL: z
      .string({ error: "is required (a postgresql:// URL; `npm start` sets one for its embedded Postgres)" })
      .regex(/^postgres(ql)?:\/\//, { error: "must be a postgresql:// URL" }),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    // Where browsers reach Corral; the OIDC redirect URI is built from it. Without it, the
    // request's own origin is used.
    CORRAL_BASE_URL: z.url({ error: "must be a URL such as https://corral.example.com" }).optional(),

    OIDC_ISSUER: z.url({ error: "must be the provider's issuer URL" }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_PROVIDER_NAME: z.string().min(1).default("single sign-on"),
    OIDC_SCOPES: z.string().default("openid profile email"),
    // The claim that lists a person's groups, and how groups map to roles:
    // "platform-admins=admin,eng-leads=lead,qa=qa". A person in no mapped group is a developer.
    OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
    OIDC_ROLE_MAP: z
      .string()
      .default("")
      .refine((s) => s.trim() === "" || s.split(",").every((pair) => ROLE_PAIR.test(pair.trim())), {
        error: "must be group=role pairs separated by commas, roles being developer, qa, lead or admin",
      }),

    // The quick start's sign-in: pick a name and a role. Never for a shared installation.
    CORRAL_LOCAL_SIGNIN: flag,
    CORRAL_LOCAL_SIGNIN_FORCE: flag,
    // Reverse proxies in front of Corral that append to X-Forwarded-For (0: clients connect directly).
    CORRAL_TRUSTED_PROXY_HOPS: z.coerce.number({ error: "must be a whole number" }).int().min(0).max(10).default(0),
    // Names of this installation in Route 53's ownership records: two Corrals may share a zone.
    CORRAL_DNS_OWNER: z
      .string()
      .regex(/^[a-z0-9][-a-z0-9]{0,62}$/, { error: "must be lower-case letters, digits and '-', at most 63" })
      .default("corral"),
    // The first cluster Corral finds (the quick start's sandbox) gets this zone, ingress target and URL.
    CORRAL_DEFAULT_CLUSTER_DNS_DOMAIN: z
      .string()
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: "must be a DNS domain such as envs.example.com" })
      .optional(),
    CORRAL_DEFAULT_CLUSTER_INGRESS: z
      .string()
      .refine((v) => parseIngressTarget(v) !== null, { error: "must be a host name, IP addresses, or alias:<zone id>/<dns name>" })
      .optional(),
    CORRAL_DEFAULT_CLUSTER_URL: z.url({ error: "must be a URL such as http://127.0.0.1:17080" }).optional(),
    // Where the first cluster's ingress reaches Corral's waker, and its ingress controller's Prometheus metrics.
    CORRAL_DEFAULT_CLUSTER_WAKER_URL: z.url({ error: "must be a URL such as http://127.0.0.1:3000" }).optional(),
    CORRAL_DEFAULT_CLUSTER_INGRESS_METRICS_URL: z.url({ error: "must be a URL such as http://127.0.0.1:17999/metrics" }).optional(),
    // Public components of a cluster without a DNS zone answer (in its Ingresses only) at <component>.<environment>.<this domain>.
    CORRAL_ENV_DOMAIN: z
      .string()
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: "must be a DNS domain such as envs.example.com" })
      .default("sandbox.corral.test"),
    // "in-process" runs the job worker inside the web server; "off" leaves it to `npm run worker`.
    CORRAL_WORKER: z.enum(["in-process", "off"], { error: "must be in-process or off" }).default("in-process"),
    // Open streams (live logs, change events) check this often that their reader may still read.
    CORRAL_STREAM_REAUTH_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).int().min(1).max(3_600).default(30),
    // Open streams (live logs, change events) one person, and one API token, may hold at once, per server process.
    CORRAL_MAX_STREAMS_PER_USER: z.coerce.number({ error: "must be a whole number" }).int().min(1).max(10_000).default(20),
    CORRAL_MAX_STREAMS_PER_TOKEN: z.coerce.number({ error: "must be a whole number" }).int().min(1).max(10_000).default(10),
    // Changes (POST, PUT, PATCH, DELETE) and stream opens one person, and one token, may make a minute, per process.
    CORRAL_RATE_LIMIT_MUTATIONS: z.coerce.number({ error: "must be a whole number" }).int().min(1).max(1_000_000).default(300),
    CORRAL_RATE_LIMIT_STREAMS: z.coerce.number({ error: "must be a whole number" }).int().min(1).max(1_000_000).default(120),
    // How long a page of the environments list may be served again while nothing changes (0: never).
    CORRAL_LIST_CACHE_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).int().min(0).max(300).default(10),
    // How Corral reaches the registries images name, to offer their tags: a JSON object keyed by the
    // host in image references, {"ghcr.io":{"url":"https://…","username":"…","password":"…"}}.
    // `npm start` adds the sandbox's. Without an entry a host is reached at https://<host>, anonymously.
    CORRAL_REGISTRIES: registriesConfigSchema,
    // Keys that seal credentials at rest: `id:base64` pairs, the first seals (README, Secrets).
    // `npm start` makes one in .data/secret-keys when none is set.
    CORRAL_SECRET_KEYS: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        try {
          parseSecretKeys(value);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
    // Webhooks may reach private and loopback addresses (lib/webhooks/target-address.ts says why
    // not by default). The quick start turns it on for its local receivers.
    CORRAL_WEBHOOKS_ALLOW_PRIVATE: flag,
    SESSION_TTL_HOURS: z.coerce.number({ error: "must be a number of hours" }).int().min(1).max(24 * 30).default(12),
  })
  .superRefine((c, ctx) => {
    if (c.OIDC_ISSUER && !c.OIDC_CLIENT_ID) {
      ctx.addIssue({ code: "custom", path: ["OIDC_CLIENT_ID"], message: "is required when OIDC_ISSUER is set" });
    }
    if (c.NODE_ENV === "production" && c.CORRAL_LOCAL_SIGNIN && !c.CORRAL_LOCAL_SIGNIN_FORCE) {
      ctx.addIssue({
        code: "custom",
        path: ["CORRAL_LOCAL_SIGNIN"],
        message:
          "is on in a production build: anyone could sign in as anyone. Turn it off, or set CORRAL_LOCAL_SIGNIN_FORCE=true if this really is a demo",
      });
    }
    if (c.NODE_ENV === "production" && !c.CORRAL_BASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["CORRAL_BASE_URL"],
        message: "is required in production: sign-in redirects, cookies and the CSRF check depend on it",
      });
    }
    if (!c.OIDC_ISSUER && !c.CORRAL_LOCAL_SIGNIN) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "is required: nobody could sign in (set OIDC_ISSUER, or CORRAL_LOCAL_SIGNIN=true for a local demo)",
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
