"use client";
import { useId, useState } from "react";
import { useMe } from "@/components/auth/use-me";
import { useDataSources } from "@/components/data-sources/use-data-sources";
import { useTemplates } from "@/components/templates/use-templates";
import { ErrorMessage } from "@/components/ui/error-message";
import type { EnvironmentData } from "@/lib/data/environment-data";
import type { CopySourceList, DataSourceList } from "@/lib/data/list-data-sources";
import { STORE_KIND_LABELS } from "@/lib/data/schemas";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import { type CopyEnvironmentOption, CopyDataForm, type CopySourceOption } from "./copy-data-form";
import { DataCopyCard } from "./data-copy-card";
import { useEnvironmentData } from "./use-environment-data";
import { useEnvironments } from "./use-environments";

type Store = EnvironmentData["stores"][number];

const STORE_STATUS: Record<string, string> = { ready: "ready", pending: "being made", provisioning: "being made", failed: "failed", deleting: "being removed" };

/** The environment's own data stores and the copies into them, live; and for those who may, "Copy data". */
export function DataPanel({ env }: { env: EnvironmentDetail }) {
  const id = useId();
  const data = useEnvironmentData(env.id);
  const me = useMe();
  const [copying, setCopying] = useState(false);
  const [started, setStarted] = useState(false);

  const title = (
    <div className="page-head">
      <h2 id={`${id}-title`}>Data</h2>
    </div>
  );
  if (data.isPending || data.isError) {
    return (
      <section aria-labelledby={`${id}-title`} data-testid="data-panel">
        {title}
        {data.isError ? (
          <ErrorMessage error={data.error} />
        ) : (
          <p className="muted" role="status">
            Loading data…
          </p>
        )}
      </section>
    );
  }
  const { stores, copies } = data.data;

  const permissions = me.data?.permissions ?? [];
  // Who may change the environment may copy into it (the owner, or a lead); the server decides anyway.
  const mayCopy = permissions.includes("data:clone") && (me.data?.id === env.owner.id || permissions.includes("environments:update-any"));
  const readyKinds = stores.filter((s) => s.status === "ready").map((s) => s.kind);

  return (
    <section aria-labelledby={`${id}-title`} data-testid="data-panel">
      <div className="page-head">
        <h2 id={`${id}-title`}>Data</h2>
        {mayCopy && readyKinds.length > 0 && !copying ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setCopying(true);
              setStarted(false);
            }}
          >
            Copy data…
          </button>
        ) : null}
      </div>
      {stores.length === 0 ? (
        <p className="muted">This environment has no data stores: its template asks for none.</p>
      ) : (
        <table className="table" aria-label="Data stores">
          <thead>
            <tr>
              <th>Store</th>
              <th>Name</th>
              <th>On</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {stores.map((s) => (
              <StoreRow key={s.kind} store={s} />
            ))}
          </tbody>
        </table>
      )}

      {started ? (
        <p role="status" className="muted">
          The copy has started; its progress follows below.
        </p>
      ) : null}
      {copying ? (
        <CopyDialog
          env={env}
          kinds={readyKinds}
          mayCopyProtected={permissions.includes("data:clone-protected")}
          onDone={(didStart) => {
            setCopying(false);
            setStarted(didStart);
          }}
        />
      ) : null}

      {copies.length > 0 ? (
        <>
          <h3>Copies</h3>
          <ul className="data-copies" aria-label="Copies">
            {copies.map((c) => (
              <DataCopyCard key={c.id} environmentId={env.id} copy={c} canCancel={mayCopy} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function StoreRow({ store: s }: { store: Store }) {
  return (
    <tr data-testid={`store-${s.kind}`}>
      <td>{STORE_KIND_LABELS[s.kind]}</td>
      <td>{s.name ? <code>{s.name}</code> : <span className="muted">—</span>}</td>
      <td>{s.host || <span className="muted">—</span>}</td>
      <td>
        <span className={`badge badge-${s.status === "ready" ? "ready" : s.status === "failed" ? "failed" : "provisioning"}`}>{STORE_STATUS[s.status] ?? s.status}</span>{" "}
        {s.incomplete ? (
          <span className="badge badge-degraded" title="A copy did not finish; the data is partial.">
            incomplete
          </span>
        ) : null}
        {s.incomplete ? <div className="muted">A copy did not finish; the data is partial.</div> : null}
        {s.reason ? <div className={s.status === "failed" ? "problem" : "muted"}>{s.reason}</div> : null}
      </td>
    </tr>
  );
}

/** Loads what one may copy from only once the form is opened: sources, and environments with a store of the kind. */
function CopyDialog(props: { env: EnvironmentDetail; kinds: Store["kind"][]; mayCopyProtected: boolean; onDone: (started: boolean) => void }) {
  const sources = useDataSources<DataSourceList | CopySourceList>();
  const templates = useTemplates();
  const environments = useEnvironments({});
  const me = useMe();

  const sourceOptions: CopySourceOption[] = (sources.data?.items ?? [])
    // Admins get store hosts in the same list: those are not sources to copy from.
    .filter((s) => !("storeHost" in s && s.storeHost))
    .map((s) => ({ id: s.id, name: s.name, kind: s.kind, protected: s.protected, description: s.description }));
  const kindsOf = new Map((templates.data?.items ?? []).map((t) => [t.id, t.dataStores]));
  const mayReadAny = me.data?.permissions.includes("environments:update-any") ?? false;
  const environmentOptions: CopyEnvironmentOption[] = (environments.data?.pages.flatMap((p) => p.items) ?? [])
    .filter((e) => e.id !== props.env.id && e.desired.lifecycle === "active" && e.template && (mayReadAny || e.owner.id === me.data?.id))
    .map((e) => ({ id: e.id, name: e.name, kinds: kindsOf.get(e.template!.id) ?? [] }))
    .filter((e) => e.kinds.length > 0);

  return (
    <>
      {sources.isError ? <ErrorMessage error={sources.error} /> : null}
      <CopyDataForm
        environment={props.env}
        kinds={props.kinds}
        sources={sourceOptions}
        environments={environmentOptions}
        mayCopyProtected={props.mayCopyProtected}
        onStarted={() => props.onDone(true)}
        onCancel={() => props.onDone(false)}
      />
    </>
  );
}
