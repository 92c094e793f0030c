"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { StatusBadge } from "@/components/environments/status-badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { OVERVIEW_SORTS } from "@/lib/lifecycle/schemas";
import { formatMoney } from "./format";
import type { OverviewItem } from "./use-overview";

export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

const ROW_HEIGHT = 49;

interface Column {
  label: string;
  sort?: OverviewSort;
  className?: string;
}

const COLUMNS: Column[] = [
  { label: "Name", sort: "name" },
  { label: "Status", sort: "status" },
  { label: "Owner", sort: "owner" },
  { label: "Age", sort: "age" },
  { label: "Last activity", sort: "lastActivity" },
  { label: "Expires", sort: "expiry" },
  { label: "Cost", sort: "cost", className: "number" },
];

/**
 * Every environment the filter kept, with headers that sort on the server. Up to 5,000 rows
 * can come back, so only those in view are in the DOM (spacer rows keep the table's own
 * layout and semantics); the checkboxes are there only for whom the API allows a bulk tear-down.
 */
export function OverviewTable(props: {
  items: OverviewItem[];
  currency: string;
  sort: OverviewSort;
  order: "asc" | "desc";
  onSort: (sort: OverviewSort) => void;
  selectable: boolean;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
  busy: boolean;
  empty: string;
}) {
  const { items, selectable, selected } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (index) => items[index]!.id,
  });
  const rows = virtualizer.getVirtualItems();
  const before = rows[0]?.start ?? 0;
  const after = rows.length > 0 ? virtualizer.getTotalSize() - rows.at(-1)!.end : 0;
  const columns = COLUMNS.length + (selectable ? 1 : 0);

  const chosen = selectable ? items.filter((i) => selected.has(i.id)).length : 0;
  const all = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (all.current) all.current.indeterminate = chosen > 0 && chosen < items.length;
  }, [chosen, items.length]);

  return (
    <div className="overview-scroll" ref={scroller} tabIndex={-1}>
      <table className="table overview-table" aria-label="Environments" aria-busy={props.busy} aria-rowcount={items.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {selectable ? (
              <th className="check">
                <input
                  ref={all}
                  type="checkbox"
                  aria-label="Select all shown"
                  checked={items.length > 0 && chosen === items.length}
                  disabled={items.length === 0}
                  onChange={(e) => props.onSelect(items.map((i) => i.id), e.target.checked)}
                />
              </th>
            ) : null}
            {COLUMNS.map((c) => {
              const active = c.sort === props.sort;
              return (
                <th key={c.label} className={c.className} aria-sort={active ? (props.order === "asc" ? "ascending" : "descending") : undefined}>
                  {c.sort ? (
                    <button type="button" className="sort" onClick={() => props.onSort(c.sort!)}>
                      {c.label}
                      <span aria-hidden className="sort-mark">
                        {active ? (props.order === "asc" ? " ▲" : " ▼") : ""}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {before > 0 ? (
            <tr aria-hidden className="spacer">
              <td colSpan={columns} style={{ height: before }} />
            </tr>
          ) : null}
          {rows.map((row) => {
            const env = items[row.index]!;
            return (
              <tr key={row.key} data-index={row.index} ref={virtualizer.measureElement} aria-rowindex={row.index + 2} data-testid="overview-row">
                {selectable ? (
                  <td className="check">
                    <input type="checkbox" aria-label={`Select ${env.name}`} checked={selected.has(env.id)} onChange={(e) => props.onSelect([env.id], e.target.checked)} />
                  </td>
                ) : null}
                <td>
                  <Link href={`/environments/${env.id}`}>{env.name}</Link>
                  {env.template ? <div className="muted small">{env.template}</div> : null}
                </td>
                <td title={env.statusReason ?? undefined}>
                  <StatusBadge status={env.status} />
                  {env.statusReason ? <span className="visually-hidden">: {env.statusReason}</span> : null}
                </td>
                <td title={env.owner.email}>{env.owner.name}</td>
                <td>
                  <RelativeTime iso={env.createdAt} suffix={false} />
                </td>
                <td>
                  <RelativeTime iso={env.lastActivityAt} />
                  {env.lastActivityKind ? <div className="muted small">{env.lastActivityKind}</div> : null}
                </td>
                <td>
                  {env.pinnedBy ? (
                    <span title={`Pinned by ${env.pinnedBy}: it does not expire.`}>Pinned</span>
                  ) : (
                    <RelativeTime iso={env.expiresAt} />
                  )}
                  {env.asleepSince ? (
                    <div className="muted small">
                      asleep <RelativeTime iso={env.asleepSince} suffix={false} />
                    </div>
                  ) : null}
                </td>
                <td className="number" data-testid="cost">
                  {formatMoney(env.cost, props.currency)}
                  {env.saved > 0 ? <div className="muted small">saved {formatMoney(env.saved, props.currency)}</div> : null}
                </td>
              </tr>
            );
          })}
          {after > 0 ? (
            <tr aria-hidden className="spacer">
              <td colSpan={columns} style={{ height: after }} />
            </tr>
          ) : null}
          {items.length === 0 && !props.busy ? (
            <tr>
              <td colSpan={columns} className="empty">
                {props.empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
