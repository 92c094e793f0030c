import type { Prisma } from "@/lib/db/generated/client";

export const copySelect = {
  id: true,
  kind: true,
  status: true,
  masked: true,
  options: true,
  progress: true,
  verification: true,
  error: true,
  jobId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  source: { select: { id: true, name: true, protected: true } },
  sourceEnvironment: { select: { id: true, name: true } },
  requestedBy: { select: { email: true, name: true } },
} as const satisfies Prisma.DataCopySelect;

type Row = Prisma.DataCopyGetPayload<{ select: typeof copySelect }>;

export function copyDto(row: Row) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    masked: row.masked,
    options: row.options as { tables?: string[]; rowFilters?: Record<string, string>; pattern?: string },
    progress: row.progress as CopyProgressView,
    verification: row.verification as { ok: boolean; items: { name: string; measure: string; source: string; target: string; match: boolean }[]; mismatches: string[] } | null,
    error: row.error,
    jobId: row.jobId,
    source: row.source ? { kind: "data-source" as const, ...row.source } : row.sourceEnvironment ? { kind: "environment" as const, ...row.sourceEnvironment, protected: false } : null,
    requestedBy: row.requestedBy.email,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The copier's progress with what a person wants to know from it: how fast, how long still. */
export interface CopyProgressView {
  phase?: string;
  itemsDone?: number;
  itemsTotal?: number;
  unitsDone?: number;
  unitsTotal?: number;
  bytesDone?: number;
  bytesTotal?: number;
  current?: string;
  /** Units (rows, keys, objects) a second since the copy began. */
  rate?: number;
  /** Seconds still, at that rate; absent while the total is unknown. */
  etaSeconds?: number;
}

export type DataCopyDto = ReturnType<typeof copyDto>;
