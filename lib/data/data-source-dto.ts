import type { Prisma } from "@/lib/db/generated/client";
import type { MaskingRules } from "./masking/schemas";

// What the API answers for a data source: connection details for admins, never the secret.
// `secretEncrypted` is not in the select, so it cannot leak through a response or an audit row.

export const dataSourceSelect = {
  id: true,
  name: true,
  kind: true,
  description: true,
  protected: true,
  storeHost: true,
  host: true,
  port: true,
  endpoint: true,
  region: true,
  username: true,
  database: true,
  redisDb: true,
  bucket: true,
  prefix: true,
  tls: true,
  maskingRules: true,
  testedAt: true,
  testProblem: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { stores: true } },
} as const satisfies Prisma.DataSourceSelect;

type Row = Prisma.DataSourceGetPayload<{ select: typeof dataSourceSelect }> & { hasSecret: boolean };

export function toDataSourceDto(row: Row) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    description: row.description,
    protected: row.protected,
    storeHost: row.storeHost,
    host: row.host,
    port: row.port,
    endpoint: row.endpoint,
    region: row.region,
    username: row.username,
    hasSecret: row.hasSecret,
    database: row.database,
    redisDb: row.redisDb,
    bucket: row.bucket,
    prefix: row.prefix,
    tls: row.tls,
    // Written only through maskingRulesSchema: reading it back narrows its type.
    maskingRules: row.maskingRules as MaskingRules,
    testedAt: row.testedAt?.toISOString() ?? null,
    testProblem: row.testProblem,
    stores: row._count.stores,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type DataSourceDto = ReturnType<typeof toDataSourceDto>;

/** A row read with its sealed secret: the DTO says whether one is set, and drops the secret itself. */
export function withoutSecret({ secretEncrypted, ...row }: Omit<Row, "hasSecret"> & { secretEncrypted: string | null }) {
  return toDataSourceDto({ ...row, hasSecret: secretEncrypted !== null });
}

/** What people who copy (not admins) see of a source: enough to choose it, nothing to connect with. */
export function toDataSourceSummary(row: { id: string; name: string; kind: Row["kind"]; description: string; protected: boolean }) {
  return { id: row.id, name: row.name, kind: row.kind, description: row.description, protected: row.protected };
}
