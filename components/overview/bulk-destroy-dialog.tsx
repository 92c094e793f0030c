"use client";
import { useEffect, useId, useRef, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { ApiError } from "@/lib/api-client/fetcher";
import { type BulkDestroyResult, type OverviewItem, useBulkDestroy } from "./use-overview";

const OUTCOMES: Record<BulkDestroyResult["results"][number]["outcome"], string> = {
  destroying: "Being destroyed",
  "already-destroyed": "Was already destroyed",
  refused: "Refused",
  "not-found": "Not found",
};

/**
 * The one confirmation of a lead's tear-down: exactly the environments that will go, by name,
 * owner and age, an optional reason for their owners' history, then what became of each.
 * A modal <dialog>: the browser traps focus, Escape closes it, focus returns where it was.
 */
export function BulkDestroyDialog(props: { environments: OverviewItem[]; onClose: (destroyed: string[]) => void }) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const destroy = useBulkDestroy();
  // What was asked for, kept while the list behind refreshes (the torn-down ones leave it).
  const [asked] = useState(props.environments);
  const result = destroy.data;

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  const close = () => props.onClose(result?.results.filter((r) => r.outcome !== "refused").map((r) => r.id) ?? []);
  const reasonError = destroy.error instanceof ApiError ? destroy.error.details.reason : undefined;
  // A refusal of the list itself (too many at once) is about the selection, not a field here.
  const idsError = destroy.error instanceof ApiError ? destroy.error.details.ids : undefined;

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!destroy.isPending) close();
      }}
    >
      <h2 id={`${id}-title`}>{result ? "Tear-down requested" : `Tear down ${asked.length} environment${asked.length === 1 ? "" : "s"}?`}</h2>
      {result ? (
        <>
          <p>
            {result.destroying} of {asked.length} {result.destroying === 1 ? "is" : "are"} being destroyed.
          </p>
          <div className="dialog-list">
            <table className="table compact" aria-label="What became of each">
              <thead>
                <tr>
                  <th>Environment</th>
                  <th>Outcome</th>
                </tr>
              </thead>
              <tbody>
                {result.results.map((r) => (
                  <tr key={r.id} data-testid="bulk-result">
                    <td>{r.name ?? asked.find((a) => a.id === r.id)?.name ?? r.id}</td>
                    <td className={r.outcome === "refused" || r.outcome === "not-found" ? "status-reason" : undefined}>
                      {OUTCOMES[r.outcome]}
                      {r.message ? `: ${r.message}` : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <button type="button" className="button primary" onClick={close} autoFocus>
              Close
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            destroy.mutate({ ids: asked.map((a) => a.id), reason: reason.trim() || undefined });
          }}
        >
          <p>These will be destroyed with everything in them: namespaces, hostnames and data stores. Their owners see who did it and why.</p>
          <div className="dialog-list">
            <table className="table compact" aria-label="Environments to tear down">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Owner</th>
                  <th>Age</th>
                </tr>
              </thead>
              <tbody>
                {asked.map((e) => (
                  <tr key={e.id} data-testid="bulk-item">
                    <td>{e.name}</td>
                    <td title={e.owner.email}>{e.owner.name}</td>
                    <td>
                      <RelativeTime iso={e.createdAt} suffix={false} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className={`field${reasonError ? " invalid" : ""}`}>
            <label htmlFor={`${id}-reason`}>Reason (optional)</label>
            <input
              id={`${id}-reason`}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
              placeholder="Stale: no activity for two weeks"
              aria-describedby={reasonError ? `${id}-reason-error` : undefined}
              aria-invalid={reasonError ? true : undefined}
            />
            {reasonError ? (
              <p className="field-error" id={`${id}-reason-error`} role="alert">
                {reasonError.join(" ")}
              </p>
            ) : null}
          </div>
          {idsError ? (
            <div role="alert" className="alert">
              {idsError.join(" ")}
            </div>
          ) : destroy.isError && !reasonError ? (
            <ErrorMessage error={destroy.error} />
          ) : null}
          <div className="actions">
            <button type="submit" className="button danger" disabled={destroy.isPending}>
              {destroy.isPending ? "Tearing down…" : `Tear down ${asked.length}`}
            </button>{" "}
            <button type="button" className="button link" onClick={close} disabled={destroy.isPending}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
