"use client";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import type { DataCopyDto } from "@/lib/data/data-copy-dto";
import { STORE_KIND_LABELS } from "@/lib/data/schemas";
import { currentText, progressPercent, progressText } from "./copy-progress-text";
import { useCancelJob } from "./use-environments";

const STATUS: Record<string, string> = { pending: "waiting", running: "copying", succeeded: "copied and verified", failed: "failed", cancelled: "cancelled" };
const BADGE: Record<string, string> = { pending: "badge-provisioning", running: "badge-updating", succeeded: "badge-ready", failed: "badge-failed", cancelled: "badge-destroyed" };

/** One copy: from what, how far (live while it runs), how its verification went, and why it failed. */
export function DataCopyCard(props: { environmentId: string; copy: DataCopyDto; canCancel: boolean }) {
  const { copy } = props;
  // Each card its own: cancelling one copy neither disables nor blames the others.
  const cancel = useCancelJob(props.environmentId);
  const live = copy.status === "pending" || copy.status === "running";
  const from = copy.source ? (copy.source.kind === "environment" ? `environment ${copy.source.name}` : copy.source.name) : "a source since removed";
  return (
    <li className="data-copy" data-testid={`data-copy-${copy.id}`} aria-label={`${STORE_KIND_LABELS[copy.kind]} copy from ${from}`}>
      <div>
        <strong>{STORE_KIND_LABELS[copy.kind]}</strong> from {from}{" "}
        {copy.masked ? (
          <span className="badge badge-degraded" title="Copied through the source's masking rules">
            masked
          </span>
        ) : null}{" "}
        <span className={`badge ${BADGE[copy.status] ?? ""}`} data-testid="copy-status">
          {STATUS[copy.status] ?? copy.status}
        </span>{" "}
        <span className="muted">
          <RelativeTime iso={copy.createdAt} /> by {copy.requestedBy}
        </span>
        {live && copy.jobId && props.canCancel ? (
          <>
            {" "}
            <button
              type="button"
              className="button"
              disabled={cancel.isPending || cancel.isSuccess}
              onClick={() => {
                if (window.confirm("Stop this copy? The store keeps the part copied so far and is marked incomplete.")) cancel.mutate(copy.jobId!);
              }}
              aria-label={`Cancel the ${STORE_KIND_LABELS[copy.kind]} copy`}
            >
              {cancel.isPending ? "Cancelling…" : cancel.isSuccess ? "Stopping…" : "Cancel"}
            </button>
          </>
        ) : null}
      </div>
      {cancel.isError ? <ErrorMessage error={cancel.error} /> : null}
      {live || copy.status === "succeeded" ? <CopyProgress copy={copy} /> : null}
      {copy.error ? <p className={copy.status === "failed" ? "problem" : "muted"}>{copy.error}</p> : null}
      {copy.verification ? <Verification verification={copy.verification} /> : null}
    </li>
  );
}

function CopyProgress({ copy }: { copy: DataCopyDto }) {
  const p = copy.progress ?? {};
  const percent = progressPercent(copy.status, p);
  const words = progressText(copy.kind, p);
  const now = copy.status === "running" ? currentText(copy.kind, p) : null;
  return (
    <div className="copy-progress">
      <div
        className="progress-bar"
        role="progressbar"
        aria-label={`${STORE_KIND_LABELS[copy.kind]} copy progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={words}
      >
        <div className={percent === null ? "progress-fill indeterminate" : "progress-fill"} style={{ width: `${percent ?? 100}%` }} />
      </div>
      <p className="muted" data-testid="copy-progress-text">
        {copy.status === "pending" ? "Waiting to start…" : words}
        {p.phase && copy.status === "running" ? ` · ${p.phase}` : null}
        {now ? ` · ${now}` : null}
      </p>
    </div>
  );
}

function Verification({ verification: v }: { verification: NonNullable<DataCopyDto["verification"]> }) {
  return (
    <div className="verification" data-testid="verification">
      <p>
        <strong>Verification:</strong> {v.ok ? "✓ the copy matches its source" : `✗ ${v.mismatches.length} ${v.mismatches.length === 1 ? "difference" : "differences"}`}
      </p>
      {v.items.length > 0 ? (
        <table className="table compact">
          <thead>
            <tr>
              <th>Name</th>
              <th>Measure</th>
              <th>Source</th>
              <th>Copy</th>
              <th>
                <span className="visually-hidden">Matches</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {v.items.map((item, i) => (
              <tr key={`${item.name}-${item.measure}-${i}`}>
                <td>
                  <code>{item.name}</code>
                </td>
                <td>{item.measure}</td>
                <td>{item.source}</td>
                <td>{item.target}</td>
                <td aria-label={item.match ? "matches" : "differs"}>{item.match ? "✓" : "✗"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {v.mismatches.length > 0 ? (
        <ul className="problem">
          {v.mismatches.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
