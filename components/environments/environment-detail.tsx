"use client";
import Link from "next/link";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "./status-badge";
import { useEnvironment } from "./use-environments";

export function EnvironmentDetail({ id }: { id: string }) {
  const query = useEnvironment(id);
  if (query.isPending) return <p className="muted">Loading…</p>;
  if (query.isError) {
    return (
      <section>
        <p>
          <Link href="/environments">← Environments</Link>
        </p>
        <ErrorMessage error={query.error} />
      </section>
    );
  }
  const env = query.data;

  return (
    <section>
      <p>
        <Link href="/environments">← Environments</Link>
      </p>
      <div className="page-head">
        <h1>{env.name}</h1>
        <StatusBadge status={env.status} />
      </div>
      {env.statusReason ? <p className="status-reason">{env.statusReason}</p> : null}

      <dl className="facts">
        <dt>Owner</dt>
        <dd>
          {env.owner.name} <span className="muted">({env.owner.email})</span>
        </dd>
        <dt>Template</dt>
        <dd>{env.template?.name ?? <span className="muted">none</span>}</dd>
        <dt>Cluster</dt>
        <dd>{env.cluster?.name ?? <span className="muted">not placed yet</span>}</dd>
        <dt>Created</dt>
        <dd>
          <RelativeTime iso={env.createdAt} />
        </dd>
        <dt>Expires</dt>
        <dd>
          <RelativeTime iso={env.expiresAt} />
        </dd>
      </dl>

      <h2>Components</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Image</th>
            <th>Replicas</th>
            <th>Port</th>
          </tr>
        </thead>
        <tbody>
          {env.components.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>
                <code>{c.image}</code>
              </td>
              <td>{c.replicas}</td>
              <td>{c.port ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>History</h2>
      <ol className="events">
        {env.events.map((e) => (
          <li key={e.id}>
            <RelativeTime iso={e.createdAt} /> — {e.toStatus ? <StatusBadge status={e.toStatus} /> : null} {e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
