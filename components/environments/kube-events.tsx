"use client";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { useKubeEvents } from "./use-environments";

/** The namespace's Kubernetes events, newest last seen first, with how often and since when. */
export function KubeEvents({ id }: { id: string }) {
  const events = useKubeEvents(id);
  return (
    <>
      <h2>Kubernetes events</h2>
      {events.isError ? <ErrorMessage error={events.error} /> : null}
      {events.data && events.data.items.length > 0 ? (
        <table className="table kube-events">
          <thead>
            <tr>
              <th>Last seen</th>
              <th>Reason</th>
              <th>Object</th>
              <th>Message</th>
              <th>Count</th>
            </tr>
          </thead>
          <tbody>
            {events.data.items.map((e, i) => (
              <tr key={`${e.lastSeen}-${e.object}-${e.reason}-${i}`} className={e.type === "Warning" ? "warning" : undefined}>
                <td>
                  <RelativeTime iso={e.lastSeen} />
                </td>
                <td>{e.reason}</td>
                <td>
                  <code>{e.object}</code>
                </td>
                <td>{e.message}</td>
                <td>
                  {e.count > 1 ? (
                    <>
                      ×{e.count}
                      <div className="muted">
                        since <RelativeTime iso={e.firstSeen} />
                      </div>
                    </>
                  ) : (
                    "once"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{events.isPending ? "Loading…" : "No events."}</p>
      )}
    </>
  );
}
