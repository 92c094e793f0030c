import { z } from "zod";
import { isHostname } from "@/lib/clusters/ingress-target";
import { nameProblem } from "@/lib/environments/names";
import { line, text } from "@/lib/input/text";
import { rowFilterProblem } from "./mysql/row-filter";

// Input shapes of the data API (data sources, copies), shared by the admin form, the copy
// dialog and the route handlers.

export const STORE_KINDS = ["mysql", "redis", "s3"] as const;
export const STORE_KIND_LABELS: Record<(typeof STORE_KINDS)[number], string> = { mysql: "MySQL/MariaDB", redis: "Redis", s3: "S3" };

/** What a copy of each kind counts: one and many. */
export const STORE_UNITS: Record<(typeof STORE_KINDS)[number], [one: string, many: string]> = { mysql: ["row", "rows"], redis: ["key", "keys"], s3: ["object", "objects"] };

const DEFAULT_PORTS = { mysql: 3306, redis: 6379, s3: null } as const;

const optional = (schema: z.ZodType<string>) =>
  schema
    .nullish()
    .transform((v) => (typeof v === "string" && v.trim() ? v.trim() : null));

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const HOST_MESSAGE = "Host is a host name or an IP address, such as db.internal or 10.0.0.5.";

export const dataSourceInputSchema = z
  .object({
    name: z.string({ error: "Name is required." }).superRefine((name, ctx) => {
      const problem = nameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    kind: z.enum(STORE_KINDS, { error: "Kind is mysql, redis or s3." }),
    description: text(500, "Description").default(""),
    protected: z.boolean({ error: "Protected is true or false." }).default(true),
    storeHost: z.boolean({ error: "Store host is true or false." }).default(false),
    host: optional(line(253, "Host")).refine((v) => v === null || IPV4.test(v) || isHostname(v) || v === "localhost", { error: HOST_MESSAGE }),
    port: z.number({ error: "Port is a whole number from 1 to 65535." }).int().min(1, { error: "Port is a whole number from 1 to 65535." }).max(65535, { error: "Port is a whole number from 1 to 65535." }).nullish(),
    endpoint: optional(line(500, "Endpoint")).refine((v) => v === null || /^https?:\/\/[^\s/]+/.test(v), { error: "Endpoint is a URL such as https://s3.eu-west-1.amazonaws.com, or empty for AWS." }),
    region: optional(line(40, "Region")).refine((v) => v === null || /^[a-z0-9-]{2,40}$/.test(v), { error: "Region is an AWS region such as eu-west-1." }),
    username: optional(line(256, "User")),
    // Write-only. On an update, absent keeps the stored one.
    secret: z.string({ error: "Password is text." }).max(4096, { error: "At most 4096 characters." }).nullish(),
    database: optional(line(64, "Database")).refine((v) => v === null || /^[A-Za-z0-9_$-]+$/.test(v), { error: "Database is a name of letters, digits, _, $ and -." }),
    redisDb: z.number({ error: "Redis database is a whole number from 0 to 255." }).int().min(0, { error: "Redis database is a whole number from 0 to 255." }).max(255, { error: "Redis database is a whole number from 0 to 255." }).nullish(),
    bucket: optional(line(63, "Bucket")).refine((v) => v === null || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v), { error: "Bucket is an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens." }),
    prefix: line(512, "Prefix").default("").transform((v) => v.trim()),
    tls: z.boolean({ error: "TLS is true or false." }).default(false),
  })
  .superRefine((s, ctx) => {
    const need = (path: keyof typeof s, message: string) => {
      if (s[path] === null || s[path] === undefined || s[path] === "") ctx.addIssue({ code: "custom", path: [path], message });
    };
    if (s.protected && s.storeHost) ctx.addIssue({ code: "custom", path: ["storeHost"], message: "A store host is written to, so it cannot be protected (production)." });
    if (s.kind === "mysql") {
      need("host", "Host is required for a MySQL/MariaDB server.");
      need("username", "User is required for a MySQL/MariaDB server.");
      if (!s.storeHost) need("database", "Database is required: the database to copy from.");
    }
    if (s.kind === "redis") need("host", "Host is required for a Redis server.");
    if (s.kind === "s3") {
      need("bucket", "Bucket is required for S3.");
      need("username", "Access key id is required for S3.");
      if (s.prefix && !s.prefix.endsWith("/")) ctx.addIssue({ code: "custom", path: ["prefix"], message: "Prefix ends with / (such as exports/), or is empty for the whole bucket." });
    }
    if (s.kind !== "s3" && s.endpoint) ctx.addIssue({ code: "custom", path: ["endpoint"], message: "Endpoint is for S3 only; use Host and Port." });
  })
  .transform((s) => ({
    ...s,
    port: s.kind === "s3" ? null : (s.port ?? DEFAULT_PORTS[s.kind]),
    region: s.kind === "s3" ? (s.region ?? "us-east-1") : null,
    redisDb: s.kind === "redis" ? (s.redisDb ?? 0) : null,
    database: s.kind === "mysql" ? s.database : null,
    bucket: s.kind === "s3" ? s.bucket : null,
  }));

export type DataSourceInput = z.infer<typeof dataSourceInputSchema>;

const tableName = line(64, "Table").regex(/^[^`\s]+$/, { error: "A table name has no spaces or backticks." });

export const copyInputSchema = z
  .object({
    kind: z.enum(STORE_KINDS, { error: "Kind is mysql, redis or s3." }),
    // Exactly one of the two: a registered data source, or another environment's store.
    sourceId: optional(line(64, "Source")),
    sourceEnvironmentId: optional(line(64, "Source environment")),
    // MySQL: only these tables, and a WHERE expression per table.
    tables: z.array(tableName, { error: "Tables is a list of table names." }).max(500).optional(),
    rowFilters: z
      .record(
        tableName,
        line(2_000, "Row filter").superRefine((v, ctx) => {
          const problem = rowFilterProblem(v);
          if (problem) ctx.addIssue({ code: "custom", message: `This row filter is refused: ${problem}.` });
        }),
        { error: "Row filters map a table to a WHERE expression." },
      )
      .optional(),
    // Redis: a key pattern (glob).
    pattern: optional(line(200, "Key pattern")),
    // The environment's name, typed: its store is emptied before the copy.
    confirm: line(63, "Confirmation", "Type the environment's name to confirm that its data is replaced."),
  })
  .superRefine((c, ctx) => {
    if (!c.sourceId === !c.sourceEnvironmentId) ctx.addIssue({ code: "custom", path: ["sourceId"], message: "Choose a data source or an environment to copy from (one of them)." });
    if (c.kind !== "mysql" && (c.tables || c.rowFilters)) ctx.addIssue({ code: "custom", path: ["tables"], message: "Tables and row filters are for MySQL copies." });
    if (c.kind !== "redis" && c.pattern) ctx.addIssue({ code: "custom", path: ["pattern"], message: "A key pattern is for Redis copies." });
  });

export type CopyInput = z.infer<typeof copyInputSchema>;
