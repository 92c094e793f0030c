import { z } from "zod";
import { DataCopyStatus, StoreStatus } from "@/lib/db/generated/enums";
import type { Fits } from "@/lib/openapi/fits";
import type { DataCopyDto } from "./data-copy-dto";
import type { DataSourceDto } from "./data-source-dto";
import type { deleteDataSource } from "./delete-data-source";
import type { EnvironmentData } from "./environment-data";
import type { inspectDataSource, previewDataSourceMasking } from "./inspect-data-source";
import type { CopySourceList, DataSourceList } from "./list-data-sources";
import { maskingRulesSchema } from "./masking/schemas";
import type { saveMaskingRules } from "./save-masking-rules";
import { STORE_KINDS } from "./schemas";
import type { testDataSource } from "./test-data-source";

// What the data API answers, for the API document (lib/openapi), held to the DTOs by `Fits`.

const iso = z.iso.datetime({ offset: true });
const kind = z.enum(STORE_KINDS);

export const dataSourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind,
    description: z.string(),
    protected: z.boolean().meta({ description: "Production: only ever read, every copy masked." }),
    storeHost: z.boolean().meta({ description: "Where environments' own stores are made." }),
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    endpoint: z.string().nullable(),
    region: z.string().nullable(),
    username: z.string().nullable(),
    hasSecret: z.boolean().meta({ description: "A password or key is stored; it is never returned." }),
    database: z.string().nullable(),
    redisDb: z.number().int().nullable(),
    bucket: z.string().nullable(),
    prefix: z.string(),
    tls: z.boolean(),
    maskingRules: maskingRulesSchema,
    testedAt: iso.nullable(),
    testProblem: z.string().nullable(),
    stores: z.number().int().meta({ description: "Environments' stores that live on it." }),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: "DataSource" });

export const dataSourceSummarySchema = z
  .object({ id: z.string(), name: z.string(), kind, description: z.string(), protected: z.boolean() })
  .meta({ id: "DataSourceSummary" });

export const dataSourceListSchema = z
  .union([z.object({ items: z.array(dataSourceSchema) }), z.object({ items: z.array(dataSourceSummarySchema) })])
  .meta({ description: "Admins get every source with its connection details; others the sources they may copy from." });

export const deletedDataSourceSchema = z.object({ id: z.string(), name: z.string(), kind });

export const dataSourceTestSchema = z.object({
  id: z.string(),
  name: z.string(),
  ok: z.boolean(),
  summary: z.string().nullable().meta({ description: "What works, in plain words." }),
  problem: z.string().nullable().meta({ description: "What failed, in plain words." }),
});

export const savedMaskingRulesSchema = z.object({ id: z.string(), name: z.string(), maskingRules: maskingRulesSchema });

export const dataSourceInspectionSchema = z.object({
  kind,
  tables: z.array(z.object({ table: z.string(), rows: z.number().int().meta({ description: "An estimate, from the server's statistics." }), columns: z.array(z.string()) })),
  unmaskedPersonal: z.array(z.object({ table: z.string(), column: z.string(), why: z.string() })),
  ruleProblems: z.array(z.string()),
  problem: z.string().nullable().meta({ description: "Why the source could not be read, in plain words." }),
});

export const maskingPreviewSchema = z.object({
  table: z.string(),
  columns: z.array(z.string()),
  before: z.array(z.array(z.unknown())),
  after: z.array(z.array(z.unknown())),
  masked: z.array(z.string()),
  problems: z.array(z.string()),
});

export const dataCopySchema = z
  .object({
    id: z.string(),
    kind,
    status: z.enum(DataCopyStatus),
    masked: z.boolean(),
    options: z.object({
      tables: z.array(z.string()).optional(),
      rowFilters: z.record(z.string(), z.string()).optional().meta({ description: "Only for those who may change the environment." }),
      pattern: z.string().optional(),
    }),
    progress: z.object({
      phase: z.string().optional(),
      itemsDone: z.number().optional(),
      itemsTotal: z.number().optional(),
      unitsDone: z.number().optional(),
      unitsTotal: z.number().optional(),
      bytesDone: z.number().optional(),
      bytesTotal: z.number().optional(),
      current: z.string().optional(),
      rate: z.number().optional().meta({ description: "Rows, keys or objects a second." }),
      etaSeconds: z.number().optional(),
    }),
    verification: z
      .object({
        ok: z.boolean(),
        items: z.array(z.object({ name: z.string(), measure: z.string(), source: z.string(), target: z.string(), match: z.boolean() })),
        mismatches: z.array(z.string()),
      })
      .nullable(),
    error: z.string().nullable(),
    jobId: z.string().nullable(),
    source: z
      .object({ kind: z.enum(["data-source", "environment"]), id: z.string(), name: z.string(), protected: z.boolean() })
      .nullable(),
    requestedBy: z.string(),
    createdAt: iso,
    startedAt: iso.nullable(),
    finishedAt: iso.nullable(),
  })
  .meta({ id: "DataCopy" });

export const environmentDataSchema = z
  .object({
    stores: z.array(
      z.object({
        kind,
        name: z.string(),
        host: z.string(),
        status: z.enum(StoreStatus),
        reason: z.string().nullable(),
        incomplete: z.boolean().meta({ description: "A copy into it was cancelled or failed: its data is partial until the next copy." }),
      }),
    ),
    copies: z.array(dataCopySchema),
  })
  .meta({ id: "EnvironmentData" });

type _Source = Fits<DataSourceDto, typeof dataSourceSchema>;
type _Sources = Fits<DataSourceList | CopySourceList, typeof dataSourceListSchema>;
type _Deleted = Fits<Awaited<ReturnType<typeof deleteDataSource>>, typeof deletedDataSourceSchema>;
type _Test = Fits<Awaited<ReturnType<typeof testDataSource>>, typeof dataSourceTestSchema>;
type _Rules = Fits<Awaited<ReturnType<typeof saveMaskingRules>>, typeof savedMaskingRulesSchema>;
type _Inspect = Fits<Awaited<ReturnType<typeof inspectDataSource>>, typeof dataSourceInspectionSchema>;
type _Preview = Fits<Awaited<ReturnType<typeof previewDataSourceMasking>>, typeof maskingPreviewSchema>;
type _Copy = Fits<DataCopyDto, typeof dataCopySchema>;
type _Data = Fits<EnvironmentData, typeof environmentDataSchema>;
