"use client";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { type DeliveryDto, useDeliveries, useRedeliver } from "./use-webhooks";

const STATUS: Record<DeliveryDto["status"], { label: string; badge: string }> = {
  pending: { label: "Sending", badge: "provisioning" },
  retrying: { label: "Retrying", badge: "degraded" },
  succeeded: { label: "Delivered", badge: "ready" },
  failed: { label: "Failed", badge: "failed" },
};

/** A webhook's deliveries, newest first: status, attempts, the receiver's answer or the problem, each attempt and the body sent. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const deliveries = useDeliveries(webhookId);
  const redeliver = useRedeliver(webhookId);

  if (deliveries.isPending) return <p className="muted">Loading deliveries…</p>;
  if (deliveries.isError) return <ErrorMessage error={deliveries.error} />;
  const items = deliveries.data.items;

  return (
    <>
      {redeliver.isError ? <ErrorMessage error={redeliver.error} /> : null}
      <table className="table" aria-label="Deliveries">
        <thead>
          <tr>
            <th>Event</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Answer</th>
            <th>Sent</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id} data-testid={`delivery-${d.kind}`}>
              <td>
                <code>{d.kind}</code>
                <div className="muted" title="Corral-Event-Id: receivers dedupe on it">
                  {d.eventId}
                </div>
              </td>
              <td>
                <span className={`badge badge-${STATUS[d.status].badge}`} data-status={d.status}>
                  {STATUS[d.status].label}
                </span>
                {d.status === "retrying" && d.nextAttemptAt ? (
                  <div className="muted">
                    next <RelativeTime iso={d.nextAttemptAt} />
                  </div>
                ) : null}
              </td>
              <td>{d.attempts}</td>
              <td>
                {d.responseStatus !== null ? <code>{d.responseStatus}</code> : null} {d.error ? <span className={d.status === "failed" ? "problem" : "muted"}>{d.error}</span> : null}
                {d.attemptLog.length > 1 ? (
                  <details>
                    <summary>Every attempt</summary>
                    <ol>
                      {d.attemptLog.map((a) => (
                        <li key={a.at}>
                          <RelativeTime iso={a.at} /> — {a.status ?? "no answer"} in {a.ms} ms{a.error ? `: ${a.error}` : ""}
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
                <details>
                  <summary>Body</summary>
                  <pre className="webhook-body">{pretty(d.payload)}</pre>
                </details>
              </td>
              <td>
                <RelativeTime iso={d.lastAttemptAt ?? d.createdAt} />
              </td>
              <td>
                {d.status === "succeeded" || d.status === "failed" ? (
                  <button type="button" className="button" disabled={redeliver.isPending} onClick={() => redeliver.mutate(d.id)} aria-label={`Redeliver ${d.kind} ${d.eventId}`}>
                    Redeliver
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
          {items.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                Nothing sent yet. &ldquo;Send test&rdquo; sends a signed webhook.test event.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
