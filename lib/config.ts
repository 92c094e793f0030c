import { z } from "zod";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// Configuration is read from the environment once and validated here, so a missing or
// malformed variable stops the process with a message naming it, not a stack trace later.
const configSchema = z.object({
  DATABASE_URL: z
    .string({ error: "is required (a postgresql:// URL; `npm start` sets one for its embedded Postgres)" })
    .regex(/^postgres(ql)?:\/\//, { error: "must be a postgresql:// URL" }),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Who owns what is created until sign-in (issue 4) names a person.
  CORRAL_LOCAL_USER_EMAIL: z.email({ error: "must be an e-mail address" }).default("dev@corral.local"),
  CORRAL_LOCAL_USER_NAME: z.string().min(1).default("Local developer"),
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
