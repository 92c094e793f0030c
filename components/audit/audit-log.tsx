"use client";
import { useDeferredValue, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { auditSearchParams, useAudit } from "./use-audit";

// Days typed as YYYY-MM-DD in the browser's time zone become the API's ISO instants; "to" is
// inclusive, so it becomes the start of the next day.
const startOf = (day: string, plusDays = 0) => {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
};

export function AuditLog() {
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [outcome, setOutcome] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const filters = {
    actor: useDeferredValue(actor.trim()) || undefined,
    action: useDeferredValue(action.trim()) || undefined,
    outcome: outcome || undefined,
    from: startOf(from),
    to: startOf(to, 1),
  };
  const query = useAudit(filters);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section>
      <div className="page-head">
        <h1>Audit log</h1>
        <a className="button" href={`/api/v1/audit/export?${auditSearchParams(filters)}`} download>
          Export CSV
        </a>
      </div>
      <div className="filters" role="search">
        <input aria-label="Actor e-mail" placeholder="Actor e-mail" value={actor} onChange={(e) => setActor(e.target.value)} />
        <input aria-label="Action" placeholder="Action, e.g. environment.create" value={action} onChange={(e) => setAction(e.target.value)} />
        <select aria-label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="">Any outcome</option>
          <option value="ok">ok</option>
          <option value="forbidden">forbidden</option>
          <option value="invalid_input">invalid input</option>
          <option value="conflict">conflict</option>
        </select>
        <input type="date" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
        <input type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {query.isError ? <ErrorMessage error={query.error} /> : null}
      <table className="table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Via</th>
            <th>Action</th>
            <th>Target</th>
            <th>Outcome</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td>
                <time dateTime={e.createdAt}>{e.createdAt.replace("T", " ").slice(0, 19)}</time>
              </td>
              <td>{e.actor?.email ?? <span className="muted">—</span>}</td>
              <td>{e.via}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>
                {e.targetType} {typeof e.details.name === "string" ? <strong>{e.details.name}</strong> : null}
              </td>
              <td>{e.outcome}</td>
              <td>{e.ip ?? ""}</td>
            </tr>
          ))}
          {query.isSuccess && items.length === 0 ? (
            <tr>
              <td colSpan={7} className="empty">
                No entries match.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {query.hasNextPage ? (
        <button className="button" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
