"use client";
import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import type { DataSourceDto } from "@/lib/data/data-source-dto";
import { STORE_KIND_LABELS } from "@/lib/data/schemas";
import { DataSourceForm } from "./data-source-form";
import { MaskingRulesEditor } from "./masking-rules-editor";
import { type DataSourceTestResult, useDataSources, useDeleteDataSource, useTestDataSource } from "./use-data-sources";

/**
 * Data sources for admins: store hosts (where environments' own stores are made) and the
 * sources people copy from, each with a connection test; one form to add or edit, and the
 * masking rules of the one chosen.
 */
export function DataSourceAdmin() {
  const sources = useDataSources();
  const remove = useDeleteDataSource();
  const [editing, setEditing] = useState<DataSourceDto | null>(null);
  // A new key starts the form over: a blank draft, the secret field never carried across.
  const [formKey, setFormKey] = useState(0);
  const [masking, setMasking] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  // This page's own tests, by source, until its settings change (then the result is stale).
  const [results, setResults] = useState<Record<string, DataSourceTestResult>>({});
  const forget = (id: string) => setResults(({ [id]: _, ...rest }) => rest);

  const items = sources.data?.items ?? [];
  const maskingSource = items.find((s) => s.id === masking) ?? null;

  function startEditing(source: DataSourceDto | null) {
    setEditing(source);
    setFormKey((k) => k + 1);
    setSaved(null);
  }

  async function onDelete(source: DataSourceDto) {
    if (!window.confirm(`Remove the data source “${source.name}” from Corral? Nothing on the server itself is touched.`)) return;
    setSaved(null);
    setListError(null);
    try {
      await remove.mutateAsync(source.id);
      if (editing?.id === source.id) startEditing(null);
      if (masking === source.id) setMasking(null);
      setSaved(`Data source “${source.name}” was removed.`);
    } catch (error) {
      setListError(error);
    }
  }

  const rowProps = {
    onEdit: startEditing,
    onDelete: (s: DataSourceDto) => void onDelete(s),
    onMasking: (s: DataSourceDto) => setMasking(s.id),
    results,
    onTested: (r: DataSourceTestResult | null, id: string) => (r ? setResults((all) => ({ ...all, [id]: r })) : forget(id)),
    busy: remove.isPending,
  };

  return (
    <section>
      <div className="page-head">
        <h1>Data sources</h1>
        <button type="button" className="button" onClick={() => startEditing(null)}>
          New data source
        </button>
      </div>
      <p className="muted">Store hosts hold environments&apos; own databases, key prefixes and prefixes; sources are what people copy into them.</p>
      {saved ? (
        <p role="status" className="token-once">
          {saved}
        </p>
      ) : null}
      {sources.isError ? <ErrorMessage error={sources.error} /> : null}
      {listError ? <ErrorMessage error={listError} /> : null}

      <SourceTable title="Store hosts" empty="No store hosts yet: environments whose template asks for data stores get none until one of their kind is added." items={items.filter((s) => s.storeHost)} {...rowProps} />
      <SourceTable title="Sources" empty="No sources to copy from yet." items={items.filter((s) => !s.storeHost)} {...rowProps} />

      <DataSourceForm
        key={formKey}
        source={editing}
        onCancel={() => startEditing(null)}
        onSaved={(source, added) => {
          forget(source.id);
          startEditing(source);
          setSaved(`Data source “${source.name}” was ${added ? "added" : "saved"}. Test its connection to see that it works.`);
        }}
      />
      {maskingSource ? <MaskingRulesEditor key={maskingSource.id} source={maskingSource} onClose={() => setMasking(null)} /> : null}
    </section>
  );
}

interface RowActions {
  onEdit: (source: DataSourceDto) => void;
  onDelete: (source: DataSourceDto) => void;
  onMasking: (source: DataSourceDto) => void;
  results: Record<string, DataSourceTestResult>;
  onTested: (result: DataSourceTestResult | null, id: string) => void;
  busy: boolean;
}

function SourceTable({ title, empty, items, ...actions }: { title: string; empty: string; items: DataSourceDto[] } & RowActions) {
  return (
    <>
      <h2>{title}</h2>
      <table className="table" aria-label={title}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Where</th>
            <th>Connection</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <SourceRow key={s.id} source={s} {...actions} />
          ))}
          {items.length === 0 ? (
            <tr>
              <td colSpan={5} className="empty">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </>
  );
}

function SourceRow({ source: s, onEdit, onDelete, onMasking, results, onTested, busy }: { source: DataSourceDto } & RowActions) {
  const test = useTestDataSource();
  const result = results[s.id] ?? null;
  const maskable = !s.storeHost && (s.kind === "mysql" || s.kind === "redis");

  return (
    <tr data-testid={`data-source-${s.name}`}>
      <td>
        <strong>{s.name}</strong> {s.protected ? <span className="badge badge-degraded">Protected</span> : null}
        {s.description ? <div className="muted">{s.description}</div> : null}
      </td>
      <td>{STORE_KIND_LABELS[s.kind]}</td>
      <td>
        <code>{where(s)}</code>
        {s.storeHost ? <div className="muted">{s.stores === 1 ? "1 store" : `${s.stores} stores`}</div> : null}
      </td>
      <td aria-live="polite">
        {test.isPending ? (
          <span className="muted">Testing…</span>
        ) : result ? (
          <span data-testid="test-result" className={result.ok ? undefined : "problem"}>
            {result.ok ? `✓ ${result.summary ?? "Connected."}` : `✗ ${result.problem ?? "The test failed."}`}
          </span>
        ) : s.testedAt ? (
          <span className={s.testProblem ? "problem" : "muted"}>
            Last test <RelativeTime iso={s.testedAt} />: {s.testProblem ?? "worked"}
          </span>
        ) : (
          <span className="muted">Not tested yet</span>
        )}
        {test.isError ? <ErrorMessage error={test.error} /> : null}
      </td>
      <td className="row-actions">
        <button type="button" className="button" onClick={() => test.mutate(s.id, { onSuccess: (r) => onTested(r, s.id), onError: () => onTested(null, s.id) })} disabled={test.isPending} aria-label={`Test connection of ${s.name}`}>
          Test connection
        </button>{" "}
        <button type="button" className="button" onClick={() => onEdit(s)} aria-label={`Edit ${s.name}`}>
          Edit
        </button>{" "}
        {maskable ? (
          <>
            <button type="button" className="button" onClick={() => onMasking(s)} aria-label={`Masking rules of ${s.name}`}>
              Masking rules
            </button>{" "}
          </>
        ) : null}
        <button type="button" className="button" onClick={() => onDelete(s)} disabled={busy} aria-label={`Remove ${s.name}`}>
          Remove
        </button>
      </td>
    </tr>
  );
}

function where(s: DataSourceDto): string {
  if (s.kind === "s3") return `${s.endpoint ?? "AWS"} ${s.bucket ?? ""}/${s.prefix}`.trim();
  const user = s.username ? `${s.username}@` : "";
  const at = `${user}${s.host ?? ""}:${s.port ?? ""}`;
  if (s.kind === "mysql") return s.database ? `${at}/${s.database}` : at;
  return `${at}/${s.redisDb ?? 0}${s.prefix ? ` ${s.prefix}*` : ""}`;
}
