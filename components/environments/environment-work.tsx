"use client";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import { useCancelJob } from "./use-environments";

const STEP_LABELS: Record<string, string> = { pending: "to do", running: "running", done: "done", failed: "failed" };

/** Destroy's clean-up steps, in order, while it runs or when it is stuck. */
export function CleanupSteps({ steps }: { steps: EnvironmentDetail["cleanup"] }) {
  if (steps.length === 0) return null;
  return (
    <>
      <h2>Clean-up</h2>
      <ol className="cleanup-steps" data-testid="cleanup-steps">
        {steps.map((s) => (
          <li key={s.name} className={`step-${s.status}`}>
            {s.title} — <strong>{STEP_LABELS[s.status] ?? s.status}</strong>
            {s.attempts > 1 ? <span className="muted"> (attempt {s.attempts})</span> : null}
            {s.error ? <div className={s.status === "failed" ? "problem" : "muted"}>{s.error}</div> : null}
          </li>
        ))}
      </ol>
    </>
  );
}

/** The environment's recent jobs: what ran, for whom, how it went, with progress and a Cancel. */
export function JobHistory({ environmentId, jobs }: { environmentId: string; jobs: EnvironmentDetail["jobs"] }) {
  const cancel = useCancelJob(environmentId);
  if (jobs.length === 0) return null;
  return (
    <>
      <h2>Jobs</h2>
      {cancel.isError ? <ErrorMessage error={cancel.error} /> : null}
      <table className="table jobs" data-testid="jobs">
        <tbody>
          {jobs.map((j) => {
            const live = j.status === "queued" || j.status === "running";
            const fraction = typeof j.progress.fraction === "number" ? j.progress.fraction : null;
            return (
              <tr key={j.id} data-testid={`job-${j.id}`}>
                <td>
                  <RelativeTime iso={j.createdAt} />
                </td>
                <td>
                  <strong>{j.title}</strong> <span className="muted">by {j.cause || "system"}</span>
                </td>
                <td>
                  {j.status}
                  {j.cancelRequested && live ? <span className="muted"> · stopping</span> : null}
                  {live && fraction !== null ? <progress max={1} value={fraction} aria-label={`${j.title} progress`} /> : null}
                  {live && j.progress.message ? <div className="muted">{j.progress.message}</div> : null}
                  {j.error ? <div className={j.status === "failed" ? "problem" : "muted"}>{j.error}</div> : null}
                </td>
                <td className="row-actions">
                  {j.cancellable ? (
                    <button type="button" className="button" onClick={() => cancel.mutate(j.id)} disabled={cancel.isPending} aria-label={`Cancel ${j.title}`}>
                      Cancel
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
