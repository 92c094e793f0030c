"use client";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { ENVIRONMENT_STATUSES, type EnvironmentFilters } from "@/lib/environments/schemas";
import { HostnameLink } from "./hostnames-panel";
import { StatusBadge } from "./status-badge";
import { useEnvironmentChanges } from "./use-environment-changes";
import { useEnvironments } from "./use-environments";

export function EnvironmentList() {
  const [q, setQ] = useState("");
  const [owner, setOwner] = useState("");
  const [status, setStatus] = useState<NonNullable<EnvironmentFilters["status"]>>("");
  const filters = { q: useDeferredValue(q.trim()), owner, status };
  const query = useEnvironments(filters);
  useEnvironmentChanges();
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section>
      <div className="page-head">
        <h1>Environments</h1>
        <Link className="button primary" href="/environments/new">
          New environment
        </Link>
      </div>

      <div className="filters" role="search">
        <input
          type="search"
          aria-label="Search by name"
          placeholder="Search by name"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <select aria-label="Owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
          <option value="">Everyone&apos;s</option>
          <option value="me">Mine</option>
        </select>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as NonNullable<EnvironmentFilters["status"]>)}>
          <option value="">Any status but destroyed</option>
          {ENVIRONMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s[0]?.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </div>

      {query.isError ? <ErrorMessage error={query.error} /> : null}

      <table className="table" aria-busy={query.isPending}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Owner</th>
            <th>URL</th>
            <th>Components</th>
            <th>Age</th>
            <th>Expires</th>
          </tr>
        </thead>
        <tbody>
          {items.map((env) => (
            <tr key={env.id}>
              <td>
                <Link href={`/environments/${env.id}`}>{env.name}</Link>
              </td>
              <td title={env.statusReason ?? undefined}>
                <StatusBadge status={env.status} />
                {env.statusReason ? <span className="visually-hidden">: {env.statusReason}</span> : null}
              </td>
              <td title={env.owner.email}>{env.owner.name}</td>
              <td>{env.hostnames[0] ? <HostnameLink hostname={env.hostnames[0]} /> : <span className="muted">—</span>}</td>
              <td className="images">
                {env.components.map((c) => (
                  <code key={c.id} title={c.image}>
                    {c.name} {c.tag ?? c.digest?.slice(0, 19)}
                  </code>
                ))}
              </td>
              <td>
                <RelativeTime iso={env.createdAt} suffix={false} />
              </td>
              <td>{env.status === "destroyed" ? <span className="muted">gone</span> : <RelativeTime iso={env.expiresAt} />}</td>
            </tr>
          ))}
          {query.isSuccess && items.length === 0 ? (
            <tr>
              <td colSpan={7} className="empty">
                {filters.q || owner || status ? "No environment matches these filters." : "No environments yet. Create the first one."}
              </td>
            </tr>
          ) : null}
          {query.isPending ? (
            <tr>
              <td colSpan={7} className="empty">
                Loading…
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>

      {query.hasNextPage ? (
        <button className="button" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}
