import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { JobCancelledError, type JobContext, PermanentJobError } from "@/lib/jobs/define-job";
import { installationSecret } from "@/lib/secrets/secrets";
import { recordCopyFinished } from "@/lib/webhooks/data-copy-events";
import { isDataProblem } from "./data-problem";
import type { CopyProgressView } from "./data-copy-dto";
import { sourceEndpoint, storeAdminEndpoint } from "./endpoints";
import { storeGateway } from "./gateway";
import { masksFor } from "./masks-for";
import { STORE_KIND_LABELS, STORE_UNITS } from "./schemas";
import type { StoreProgress } from "./types";

// Progress is written (and pushed to browsers) at most this often; the copiers report far more.
const PROGRESS_EVERY_MS = 500;

/**
 * The data-copy job: the target store is marked incomplete, emptied and filled by the kind's
 * copier, verified, and marked complete only when the verification matched. Transient failures
 * (a dropped connection, S3 throttling, a server restarting) are never given up: the whole copy
 * runs again after a capped backoff, from the start (the target emptied again), with the reason
 * on the copy; refusals and mismatches fail the copy with the reason; a cancel leaves the store
 * marked incomplete.
 */
export async function runDataCopy(copyId: string, ctx: Pick<JobContext, "signal" | "log" | "lastAttempt" | "progress" | "attempt" | "retryTransient">) {
  const copy = await db.dataCopy.findUnique({
    where: { id: copyId },
    include: { source: true, environment: { include: { stores: { include: { host: true } } } }, sourceEnvironment: { include: { stores: { include: { host: true } } } } },
  });
  if (!copy || copy.status === "succeeded" || copy.status === "cancelled" || copy.status === "failed") return;
  const label = STORE_KIND_LABELS[copy.kind];
  const target = copy.environment.stores.find((s) => s.kind === copy.kind);
  if (!target || target.status !== "ready") return fail(copyId, `${copy.environment.name} has no ready ${label} store any more.`);
  const fromStore = copy.sourceEnvironment?.stores.find((s) => s.kind === copy.kind && s.status === "ready");
  const source = copy.source ? sourceEndpoint(copy.source) : fromStore ? storeAdminEndpoint(fromStore, fromStore.host) : null;
  if (!source) return fail(copyId, `The source of this copy is gone.`);
  // Decided again when it runs, not only when it was asked for: a source made protected (or given
  // new rules) while the copy waited is masked as it is now.
  const masked = Boolean(copy.source?.protected && copy.kind !== "s3");
  if (masked !== copy.masked) await db.dataCopy.update({ where: { id: copyId }, data: { masked } });

  const started = Date.now();
  await db.dataCopy.update({ where: { id: copyId }, data: { status: "running", startedAt: copy.startedAt ?? new Date(), error: null, progress: {} } });
  await db.environmentStore.update({ where: { id: target.id }, data: { incomplete: true } });

  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const report = (p: StoreProgress, force = false) => {
    const now = Date.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    const view = progressView(p, (now - started) / 1000);
    pending = pending.then(() =>
      Promise.all([
        db.dataCopy.update({ where: { id: copyId }, data: { progress: view as Prisma.InputJsonValue } }),
        ctx.progress({ fraction: fractionOf(p), counters: { [unitName(copy.kind)]: p.unitsDone, bytes: p.bytesDone }, message: `${label}: ${p.phase}${p.current ? ` ${p.current}` : ""}` }),
      ]).catch((error: unknown) => ctx.log.warn({ err: error }, "progress not recorded")),
    );
  };

  try {
    const masks = masked && copy.source ? masksFor(copy.source, await installationSecret("masking")) : {};
    const options = copy.options as { tables?: string[]; rowFilters?: Record<string, string>; pattern?: string };
    const result = await storeGateway(copy.kind).copy({ source, target: storeAdminEndpoint(target, target.host), options, masks, signal: ctx.signal, onProgress: report });
    await pending;
    const verification = result.verification;
    if (!verification.ok) {
      await db.dataCopy.update({ where: { id: copyId }, data: { verification: verification as unknown as Prisma.InputJsonValue } });
      return fail(copyId, `The copy does not match its source: ${verification.mismatches.slice(0, 5).join("; ")}${verification.mismatches.length > 5 ? ` (and ${verification.mismatches.length - 5} more)` : ""}`);
    }
    await db.dataCopy.update({
      where: { id: copyId },
      data: {
        verification: verification as unknown as Prisma.InputJsonValue,
        progress: progressView({ store: copy.kind, phase: "done", itemsDone: result.itemsCopied, itemsTotal: result.itemsCopied, unitsDone: result.unitsCopied, unitsTotal: result.unitsCopied, bytesDone: result.bytesCopied, bytesTotal: result.bytesCopied }, (Date.now() - started) / 1000) as Prisma.InputJsonValue,
      },
    });
    await db.environmentStore.update({ where: { id: target.id }, data: { incomplete: false } });
    await finish(copyId, "succeeded", null);
    await db.historyEntry.create({ data: { environmentId: copy.environmentId, message: `${label} copy finished and verified: ${result.unitsCopied.toLocaleString("en")} ${unitName(copy.kind)}${masked ? ", masked" : ""}` } });
  } catch (error) {
    await pending;
    if (ctx.signal.aborted) {
      const reason: unknown = ctx.signal.reason;
      if (reason instanceof JobCancelledError) {
        await finish(copyId, "cancelled", `Cancelled; ${copy.environment.name}'s ${label} store holds part of the data until the next copy.`);
        throw error;
      }
      // The job's time limit: starting such a copy over would only meet it again.
      return fail(copyId, `Stopped: ${reason instanceof Error ? reason.message : "the job was stopped"}. ${copy.environment.name}'s ${label} store holds part of the data.`, error);
    }
    // A refusal or a bug fails at once; only what passes by itself is tried again
    // (a dropped connection, a server restarting): from the start, the target emptied again.
    const transient = isDataProblem(error) ? error.kind === "unavailable" : isNetworkError(error);
    const message = isDataProblem(error) ? error.message : transient ? `the connection failed (${(error as Error).message})` : "the copy stopped unexpectedly; the worker's log has the details";
    ctx.log.warn({ copyId, err: error, attempt: ctx.attempt }, "data copy failed");
    if (transient) {
      // The next run is a new job: the copy follows it, so a cancel reaches it and the copy is not taken for abandoned.
      const { attempt, delaySeconds, jobId } = await ctx.retryTransient(message);
      await db.dataCopy.update({
        where: { id: copyId },
        data: { status: "pending", error: `${message}; trying again from the start, attempt ${attempt}, in ${delaySeconds} s`, ...(jobId ? { jobId } : {}) },
      });
      return;
    }
    return fail(copyId, message, error);
  }
}

/** Records the copy as failed with the reason and fails its job with it (no retry can help). */
async function fail(copyId: string, reason: string, cause?: unknown): Promise<never> {
  await finish(copyId, "failed", reason);
  throw new PermanentJobError(reason, { cause });
}

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "PROTOCOL_CONNECTION_LOST"]);

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && NETWORK_CODES.has(code);
}

/** Settles the copy, once, with its data-copy.finished event in the same transaction. */
async function finish(copyId: string, status: "succeeded" | "failed" | "cancelled", error: string | null) {
  await db.$transaction(
    async (tx) => {
      const { count } = await tx.dataCopy.updateMany({ where: { id: copyId, status: { in: ["pending", "running"] } }, data: { status, error, finishedAt: new Date() } });
      if (count > 0) await recordCopyFinished(tx, copyId);
    },
    { timeout: 10_000 },
  );
}

export function progressView(p: StoreProgress, elapsedSeconds: number): CopyProgressView {
  const rate = elapsedSeconds > 0 ? p.unitsDone / elapsedSeconds : undefined;
  const etaSeconds = rate && p.unitsTotal !== undefined && p.unitsTotal > p.unitsDone ? (p.unitsTotal - p.unitsDone) / rate : undefined;
  return { ...p, ...(rate !== undefined ? { rate: Math.round(rate) } : {}), ...(etaSeconds !== undefined ? { etaSeconds: Math.ceil(etaSeconds) } : {}) };
}

function fractionOf(p: StoreProgress): number | undefined {
  if (p.phase === "done") return 1;
  if (p.bytesTotal) return Math.min(1, p.bytesDone / p.bytesTotal);
  if (p.unitsTotal) return Math.min(1, p.unitsDone / p.unitsTotal);
  return undefined;
}

function unitName(kind: "mysql" | "redis" | "s3") {
  return STORE_UNITS[kind][1];
}
