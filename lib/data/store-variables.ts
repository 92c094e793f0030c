import type { EnvironmentStore } from "@/lib/db/generated/client";
import type { Endpoint } from "./endpoints";

/**
 * The variables an environment's components get from the `corral-data` Secret: one set per
 * store, named as the common client libraries and twelve-factor apps expect them.
 */
export function storeVariables(stores: { store: Pick<EnvironmentStore, "kind">; own: Endpoint }[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const { own } of stores) {
    if (own.kind === "mysql") {
      const e = own.endpoint;
      Object.assign(vars, {
        MYSQL_HOST: e.host,
        MYSQL_PORT: String(e.port),
        MYSQL_DATABASE: e.database,
        MYSQL_USER: e.user,
        MYSQL_PASSWORD: e.password,
        DATABASE_URL: `mysql://${encodeURIComponent(e.user)}:${encodeURIComponent(e.password)}@${e.host}:${e.port}/${encodeURIComponent(e.database)}`,
      });
    } else if (own.kind === "redis") {
      const e = own.endpoint;
      const auth = e.username ? `${encodeURIComponent(e.username)}:${encodeURIComponent(e.password ?? "")}@` : e.password ? `:${encodeURIComponent(e.password)}@` : "";
      Object.assign(vars, {
        REDIS_HOST: e.host,
        REDIS_PORT: String(e.port),
        REDIS_DB: String(e.db),
        REDIS_KEY_PREFIX: e.keyPrefix,
        ...(e.username ? { REDIS_USERNAME: e.username } : {}),
        ...(e.password ? { REDIS_PASSWORD: e.password } : {}),
        REDIS_URL: `${e.tls ? "rediss" : "redis"}://${auth}${e.host}:${e.port}/${e.db}`,
      });
    } else {
      const e = own.endpoint;
      Object.assign(vars, { S3_BUCKET: e.bucket, S3_PREFIX: e.prefix, S3_REGION: e.region, ...(e.endpoint ? { S3_ENDPOINT: e.endpoint } : {}) });
    }
  }
  return vars;
}
