import "server-only";
import type { DataSource, EnvironmentStore } from "@/lib/db/generated/client";
import { DataProblem } from "./data-problem";
import { dataSourceSecretPurpose } from "./save-data-source";
import { secretBox } from "@/lib/secrets/secrets";
import type { MysqlEndpoint, RedisEndpoint, S3Location } from "./types";

// Rows → what the gateways connect with. The only place secrets are opened, just before use.

export type Endpoint = { kind: "mysql"; endpoint: MysqlEndpoint } | { kind: "redis"; endpoint: RedisEndpoint } | { kind: "s3"; endpoint: S3Location };

export const storeSecretPurpose = (storeId: string) => `environment-store:${storeId}`;

/** A data source as it was registered (a source to read, or a store host's admin connection). */
export function sourceEndpoint(source: DataSource): Endpoint {
  const secret = source.secretEncrypted ? secretBox().open(source.secretEncrypted, dataSourceSecretPurpose(source.id)) : "";
  switch (source.kind) {
    case "mysql":
      return { kind: "mysql", endpoint: { host: source.host ?? "", port: source.port ?? 3306, user: source.username ?? "", password: secret, database: source.database ?? "", tls: source.tls } };
    case "redis":
      return { kind: "redis", endpoint: { host: source.host ?? "", port: source.port ?? 6379, username: source.username ?? undefined, password: secret || undefined, db: source.redisDb ?? 0, keyPrefix: source.prefix, tls: source.tls } };
    case "s3":
      return { kind: "s3", endpoint: s3Location(source, secret, source.prefix) };
  }
}

/**
 * An environment's store as Corral copies into it: through the host's admin connection narrowed
 * to the store (its database, its key prefix, its object prefix), so a copy needs no grants the
 * store's own user lacks and the store's user never needs to be able to empty it.
 */
export function storeAdminEndpoint(store: EnvironmentStore, host: DataSource): Endpoint {
  const admin = sourceEndpoint(host);
  return narrow(admin, store.name);
}

/** The store as the environment's components connect to it: its own user and password. */
export function storeOwnEndpoint(store: EnvironmentStore, host: DataSource): Endpoint {
  // Never a user with an empty password: a store whose secret is missing is not usable yet.
  if (store.username && !store.secretEncrypted) throw new DataProblem("invalid", `the store ${store.name} has a user but no password yet`);
  const password = store.secretEncrypted ? secretBox().open(store.secretEncrypted, storeSecretPurpose(store.id)) : "";
  const admin = sourceEndpoint(host);
  const narrowed = narrow(admin, store.name);
  if (narrowed.kind === "mysql") return { kind: "mysql", endpoint: { ...narrowed.endpoint, user: store.username ?? "", password } };
  if (narrowed.kind === "redis") return { kind: "redis", endpoint: { ...narrowed.endpoint, username: store.username ?? undefined, password: password || undefined } };
  return narrowed;
}

function narrow(admin: Endpoint, name: string): Endpoint {
  switch (admin.kind) {
    case "mysql":
      return { kind: "mysql", endpoint: { ...admin.endpoint, database: name } };
    case "redis":
      return { kind: "redis", endpoint: { ...admin.endpoint, keyPrefix: name } };
    case "s3":
      return { kind: "s3", endpoint: { ...admin.endpoint, prefix: name } };
  }
}

function s3Location(source: DataSource, secret: string, prefix: string): S3Location {
  return {
    endpoint: source.endpoint ?? undefined,
    region: source.region ?? "us-east-1",
    accessKeyId: source.username ?? "",
    secretAccessKey: secret,
    bucket: source.bucket ?? "",
    prefix,
    forcePathStyle: Boolean(source.endpoint),
  };
}

