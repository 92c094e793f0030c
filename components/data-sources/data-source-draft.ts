import type { DataSourceDto } from "@/lib/data/data-source-dto";
import { STORE_KINDS } from "@/lib/data/schemas";
import type { DataSourceRequest } from "./use-data-sources";

type Kind = (typeof STORE_KINDS)[number];

/** What the data-source form holds: text as typed, one field a key of the API's input. */
export interface DataSourceDraft {
  name: string;
  kind: Kind;
  description: string;
  protected: boolean;
  storeHost: boolean;
  host: string;
  port: string;
  endpoint: string;
  region: string;
  username: string;
  /** Write-only: never prefilled; blank keeps the stored one. */
  secret: string;
  clearSecret: boolean;
  database: string;
  redisDb: string;
  bucket: string;
  prefix: string;
  tls: boolean;
}

export const emptyDataSourceDraft = (kind: Kind = "mysql"): DataSourceDraft => ({
  name: "",
  kind,
  description: "",
  protected: true,
  storeHost: false,
  host: "",
  port: "",
  endpoint: "",
  region: "",
  username: "",
  secret: "",
  clearSecret: false,
  database: "",
  redisDb: "",
  bucket: "",
  prefix: "",
  tls: false,
});

export function toDataSourceDraft(source: DataSourceDto): DataSourceDraft {
  return {
    name: source.name,
    kind: source.kind,
    description: source.description,
    protected: source.protected,
    storeHost: source.storeHost,
    host: source.host ?? "",
    port: source.port === null ? "" : String(source.port),
    endpoint: source.endpoint ?? "",
    region: source.region ?? "",
    username: source.username ?? "",
    secret: "",
    clearSecret: false,
    database: source.database ?? "",
    redisDb: source.redisDb === null ? "" : String(source.redisDb),
    bucket: source.bucket ?? "",
    prefix: source.prefix,
    tls: source.tls,
  };
}

/**
 * The draft as the API's input. Fields of the other kinds are left out (the form keeps them
 * while the kind is switched back and forth); the secret is sent only when typed (or cleared
 * on purpose), because an absent one keeps what is stored.
 */
export function toDataSourceRequest(draft: DataSourceDraft, editing: boolean): DataSourceRequest {
  const { kind } = draft;
  const secret = draft.secret !== "" ? draft.secret : editing ? (draft.clearSecret ? "" : undefined) : null;
  return {
    name: draft.name.trim(),
    kind,
    description: draft.description,
    protected: draft.protected,
    storeHost: draft.storeHost,
    host: kind === "s3" ? null : draft.host,
    port: kind === "s3" ? null : numberOrNull(draft.port),
    endpoint: kind === "s3" ? draft.endpoint : null,
    region: kind === "s3" ? draft.region : null,
    username: draft.username,
    ...(secret === undefined ? {} : { secret }),
    database: kind === "mysql" ? draft.database : null,
    redisDb: kind === "redis" ? numberOrNull(draft.redisDb) : null,
    bucket: kind === "s3" ? draft.bucket : null,
    prefix: kind === "mysql" ? "" : draft.prefix,
    tls: kind === "s3" ? false : draft.tls,
  };
}

function numberOrNull(text: string): number | null {
  return text.trim() === "" ? null : Number(text.trim());
}
