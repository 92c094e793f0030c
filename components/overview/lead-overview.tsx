"use client";
import { useDeferredValue, useId, useState } from "react";
import { useEnvironmentChanges } from "@/components/environments/use-environment-changes";
import { useUsers } from "@/components/environments/use-environments";
import { useTemplates } from "@/components/templates/use-templates";
import { ErrorMessage } from "@/components/ui/error-message";
import { STATUS_LABELS } from "@/lib/environments/status-labels";
import { OVERVIEW_DEFAULT_ORDER, OVERVIEW_STATUSES, type OverviewFilters } from "@/lib/lifecycle/schemas";
import { BulkDestroyDialog } from "./bulk-destroy-dialog";
import { formatMoney } from "./format";
import { LifecycleForecast } from "./lifecycle-forecast";
import { OverviewTable, type OverviewSort } from "./overview-table";
import { UsageCharts } from "./usage-charts";
import { useOverview } from "./use-overview";

type Status = (typeof OVERVIEW_STATUSES)[number];
const OWNERS_SHOWN = 10;

/** The lead's view: every live environment with what to decide on, the next day's dry run, and cost over time. */
export function LeadOverview() {
  const id = useId();
  const [sort, setSort] = useState<OverviewSort>("lastActivity");
  const [order, setOrder] = useState<"asc" | "desc">(OVERVIEW_DEFAULT_ORDER.lastActivity);
  const [q, setQ] = useState("");
  const [owner, setOwner] = useState("");
  const [status, setStatus] = useState<Status | "">("");
  const [template, setTemplate] = useState("");
  const [idleHours, setIdleHours] = useState("");
  const [expiresWithinHours, setExpiresWithinHours] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [allOwners, setAllOwners] = useState(false);

  const filters: OverviewFilters = {
    sort,
    order,
    q: useDeferredValue(q.trim()) || undefined,
    owner: useDeferredValue(owner.trim()) || undefined,
    status: status || undefined,
    template: template || undefined,
    idleHours: hoursOf(useDeferredValue(idleHours)),
    expiresWithinHours: hoursOf(useDeferredValue(expiresWithinHours)),
  };
  const overview = useOverview(filters);
  useEnvironmentChanges();
  const people = useUsers(owner.trim());
  const templates = useTemplates();
  const data = overview.data;
  const items = data?.items ?? [];
  const mayBulkDestroy = data?.mayBulkDestroy ?? false;
  // Only what is shown counts: a row the filter hides is not torn down unseen.
  const chosen = mayBulkDestroy ? items.filter((i) => selected.has(i.id)) : [];
  const filtered = Boolean(filters.q || filters.owner || status || template || filters.idleHours !== undefined || filters.expiresWithinHours !== undefined);

  const onSort = (next: OverviewSort) => {
    if (next === sort) setOrder(order === "asc" ? "desc" : "asc");
    else {
      setSort(next);
      setOrder(OVERVIEW_DEFAULT_ORDER[next]);
    }
  };
  const onSelect = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const i of ids) {
        if (on) next.add(i);
        else next.delete(i);
      }
      return next;
    });

  return (
    <section>
      <div className="page-head">
        <h1>Overview</h1>
        {mayBulkDestroy ? (
          <button type="button" className="button danger" disabled={chosen.length === 0} onClick={() => setConfirming(true)}>
            Tear down {chosen.length} selected…
          </button>
        ) : null}
      </div>

      <div className="filters wrap" role="search" aria-label="Filter environments">
        <input type="search" aria-label="Search by name" placeholder="Search by name" value={q} onChange={(e) => setQ(e.target.value)} />
        <input aria-label="Owner" placeholder="Owner's e-mail, or me" list={`${id}-people`} value={owner} onChange={(e) => setOwner(e.target.value)} autoComplete="off" />
        <datalist id={`${id}-people`}>
          <option value="me">Mine</option>
          {people.data?.items.map((p) => (
            <option key={p.id} value={p.email}>
              {p.name}
            </option>
          ))}
        </datalist>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as Status | "")}>
          <option value="">Any status</option>
          {OVERVIEW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <select aria-label="Template" value={template} onChange={(e) => setTemplate(e.target.value)}>
          <option value="">Any template</option>
          {templates.data?.items.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
        <label className="inline-number">
          Idle at least{" "}
          <input inputMode="numeric" aria-label="Idle at least (hours)" value={idleHours} onChange={(e) => setIdleHours(e.target.value)} placeholder="–" /> h
        </label>
        <label className="inline-number">
          Expiring within{" "}
          <input inputMode="numeric" aria-label="Expiring within (hours)" value={expiresWithinHours} onChange={(e) => setExpiresWithinHours(e.target.value)} placeholder="–" /> h
        </label>
      </div>

      {overview.isError ? <ErrorMessage error={overview.error} /> : null}

      {data ? (
        <p className="totals" data-testid="overview-totals">
          <strong>{data.totals.environments}</strong> environment{data.totals.environments === 1 ? "" : "s"} · cost so far <strong>{formatMoney(data.totals.cost, data.currency)}</strong> · sleep saved{" "}
          <strong>{formatMoney(data.totals.saved, data.currency)}</strong>
          {data.truncated ? <span className="warning"> Only the first {data.items.length} are shown: narrow the filter.</span> : null}
        </p>
      ) : null}

      <OverviewTable
        items={items}
        currency={data?.currency ?? "USD"}
        sort={sort}
        order={order}
        onSort={onSort}
        selectable={mayBulkDestroy}
        selected={selected}
        onSelect={onSelect}
        busy={overview.isPending || overview.isPlaceholderData}
        empty={filtered ? "No environment matches these filters." : "No live environments."}
      />

      <div className="overview-panels">
        {data && data.byOwner.length > 0 ? (
          <section className="panel" aria-labelledby={`${id}-owners`}>
            <h2 id={`${id}-owners`}>Cost by owner</h2>
            <table className="table compact" aria-labelledby={`${id}-owners`}>
              <thead>
                <tr>
                  <th>Owner</th>
                  <th className="number">Environments</th>
                  <th className="number">Cost</th>
                  <th className="number">Saved</th>
                </tr>
              </thead>
              <tbody>
                {(allOwners ? data.byOwner : data.byOwner.slice(0, OWNERS_SHOWN)).map((o) => (
                  <tr key={o.owner} data-testid="owner-total">
                    <td>
                      <button type="button" className="button link" onClick={() => setOwner(o.owner)} title="Show only theirs">
                        {o.owner}
                      </button>
                    </td>
                    <td className="number">{o.environments}</td>
                    <td className="number">{formatMoney(o.cost, data.currency)}</td>
                    <td className="number">{formatMoney(o.saved, data.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!allOwners && data.byOwner.length > OWNERS_SHOWN ? (
              <button type="button" className="button" onClick={() => setAllOwners(true)}>
                Show all {data.byOwner.length}
              </button>
            ) : null}
          </section>
        ) : null}
        <LifecycleForecast />
      </div>

      <UsageCharts />

      {confirming ? (
        <BulkDestroyDialog
          environments={chosen}
          onClose={(gone) => {
            setConfirming(false);
            if (gone.length > 0) onSelect(gone, false);
          }}
        />
      ) : null}
    </section>
  );
}

/** A number of hours typed in a filter, or nothing while it is not one. */
function hoursOf(text: string): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== "" && Number.isFinite(n) && n >= 0 ? n : undefined;
}
