import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { environmentEventData } from "./environment-events";
import { recordEvent } from "./record-event";

/**
 * data-copy.finished, in the transaction that settles a copy (succeeded, failed or cancelled).
 * data: { copy: { id, kind, status, error, masked, source, sourceEnvironment, requestedBy,
 * startedAt, finishedAt }, environment }.
 */
export async function recordCopyFinished(tx: Prisma.TransactionClient, copyId: string) {
  const copy = await tx.dataCopy.findUnique({ where: { id: copyId }, select: { environmentId: true } });
  if (!copy) return null;
  return recordEvent(tx, {
    kind: "data-copy.finished",
    environmentId: copy.environmentId,
    cause: "system: a data copy ended",
    data: async (client) => {
      const row = await client.dataCopy.findUniqueOrThrow({
        where: { id: copyId },
        select: {
          id: true,
          kind: true,
          status: true,
          error: true,
          masked: true,
          startedAt: true,
          finishedAt: true,
          source: { select: { name: true } },
          sourceEnvironment: { select: { name: true } },
          requestedBy: { select: { email: true } },
        },
      });
      return {
        copy: {
          id: row.id,
          kind: row.kind,
          status: row.status,
          error: row.error,
          masked: row.masked,
          source: row.source?.name ?? null,
          sourceEnvironment: row.sourceEnvironment?.name ?? null,
          requestedBy: row.requestedBy.email,
          startedAt: row.startedAt?.toISOString() ?? null,
          finishedAt: row.finishedAt?.toISOString() ?? null,
        },
        environment: await environmentEventData(client, copy.environmentId),
      };
    },
  });
}
