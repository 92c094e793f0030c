"use client";
import { useState, type FormEvent } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { type FieldErrors, formErrors } from "@/lib/api-client/fetcher";
import type { ClusterDto } from "@/lib/clusters/cluster-dto";
import { type ClusterInput, clusterInputSchema } from "@/lib/clusters/schemas";
import { fieldErrors } from "@/lib/http/validation";
import { useClusters, useCreateCluster, useDeleteCluster, useUpdateCluster } from "./use-clusters";
import { Field } from "@/components/ui/field";

interface Draft {
  /** null while adding a new cluster. */
  id: string | null;
  name: string;
  kubeContext: string;
  inCluster: boolean;
  ingressHost: string;
  isDefault: boolean;
}

const emptyDraft = (): Draft => ({ id: null, name: "", kubeContext: "", inCluster: false, ingressHost: "", isDefault: false });

/** Clusters for admins: the list with a "make default" action, and one form to add or edit. */
export function ClusterAdmin() {
  const clusters = useClusters();
  const create = useCreateCluster();
  const update = useUpdateCluster();
  const remove = useDeleteCluster();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const busy = create.isPending || update.isPending || remove.isPending;

  function startEditing(cluster: ClusterDto | null) {
    setDraft(cluster ? toDraft(cluster) : emptyDraft());
    setErrors({});
    setSaved(null);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const checked = clusterInputSchema.safeParse({
      name: draft.name.trim(),
      kubeContext: draft.kubeContext,
      inCluster: draft.inCluster,
      ingressHost: draft.ingressHost,
      isDefault: draft.isDefault,
    });
    if (!checked.success) {
      setErrors(fieldErrors(checked.error));
      return;
    }
    setErrors({});
    try {
      const result = draft.id ? await update.mutateAsync({ id: draft.id, input: checked.data }) : await create.mutateAsync(checked.data);
      setDraft(toDraft(result));
      setSaved(`Cluster “${result.name}” was ${draft.id ? "saved" : "added"}.`);
    } catch (error) {
      setErrors(formErrors(error));
    }
  }

  async function makeDefault(cluster: ClusterDto) {
    setSaved(null);
    setListError(null);
    try {
      await update.mutateAsync({ id: cluster.id, input: { ...toInput(cluster), isDefault: true } });
      if (draft.id === cluster.id) setDraft((d) => ({ ...d, isDefault: true }));
      else if (draft.id) setDraft((d) => ({ ...d, isDefault: false }));
      setSaved(`New environments now go to “${cluster.name}”.`);
    } catch (error) {
      setListError(error);
    }
  }

  async function removeCluster(cluster: ClusterDto) {
    if (!window.confirm(`Remove the cluster “${cluster.name}” from Corral? Nothing in the cluster itself is touched.`)) return;
    setSaved(null);
    setListError(null);
    try {
      await remove.mutateAsync(cluster.id);
      if (draft.id === cluster.id) startEditing(null);
      setSaved(`Cluster “${cluster.name}” was removed.`);
    } catch (error) {
      setListError(error);
    }
  }

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <section>
      <div className="page-head">
        <h1>Clusters</h1>
        <button type="button" className="button" onClick={() => startEditing(null)}>
          New cluster
        </button>
      </div>
      <p className="muted">New environments go to the default cluster.</p>
      {saved ? (
        <p role="status" className="token-once">
          {saved}
        </p>
      ) : null}
      {clusters.isError ? <ErrorMessage error={clusters.error} /> : null}
      {listError ? <ErrorMessage error={listError} /> : null}

      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Connection</th>
            <th>Ingress host</th>
            <th>Environments</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {clusters.data?.items.map((c) => (
            <tr key={c.id}>
              <td>
                <strong>{c.name}</strong> {c.isDefault ? <span className="badge badge-ready">Default</span> : null}
              </td>
              <td>{c.inCluster ? "In cluster" : c.kubeContext ? <code>{c.kubeContext}</code> : <span className="muted">current context</span>}</td>
              <td>{c.ingressHost ? <code>{c.ingressHost}</code> : <span className="muted">—</span>}</td>
              <td>{c.environmentCount}</td>
              <td>
                <button type="button" className="button" onClick={() => startEditing(c)} aria-label={`Edit ${c.name}`}>
                  Edit
                </button>{" "}
                {c.isDefault ? null : (
                  <button type="button" className="button" onClick={() => void makeDefault(c)} aria-label={`Make ${c.name} the default`} disabled={busy}>
                    Make default
                  </button>
                )}{" "}
                <button
                  type="button"
                  className="button"
                  onClick={() => void removeCluster(c)}
                  aria-label={`Remove ${c.name}`}
                  disabled={busy || c.environmentCount > 0}
                  title={c.environmentCount > 0 ? "It holds live environments: destroy them first." : undefined}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {clusters.data?.items.length === 0 ? (
            <tr>
              <td colSpan={5} className="empty">
                No clusters yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>

      <form className="form" onSubmit={onSubmit} noValidate aria-label={draft.id ? "Edit cluster" : "New cluster"}>
        <h2>{draft.id ? `Edit ${draft.name || "cluster"}` : "New cluster"}</h2>
        {errors._ ? (
          <div role="alert" className="alert">
            {errors._.join(" ")}
          </div>
        ) : null}
        <Field label="Name" id="cluster-name" errors={errors.name} hint="Lower case, digits and '-', at most 63.">
          <input id="cluster-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" />
        </Field>
        <div className="field checks">
          <label>
            <input type="checkbox" checked={draft.inCluster} onChange={(e) => set(e.target.checked ? { inCluster: true, kubeContext: "" } : { inCluster: false })} /> Corral runs inside this
            cluster (use its service account)
          </label>
        </div>
        <Field
          label="Kubeconfig context"
          id="cluster-context"
          errors={errors.kubeContext}
          hint="A context of the kubeconfig Corral runs with; empty means its current context."
        >
          <input id="cluster-context" value={draft.kubeContext} onChange={(e) => set({ kubeContext: e.target.value })} disabled={draft.inCluster} />
        </Field>
        <Field label="Ingress host" id="cluster-ingress" errors={errors.ingressHost} hint="Where environments' DNS records point, e.g. ingress.eu.example.com.">
          <input id="cluster-ingress" value={draft.ingressHost} onChange={(e) => set({ ingressHost: e.target.value })} />
        </Field>
        <div className="field checks">
          <label>
            <input type="checkbox" checked={draft.isDefault} onChange={(e) => set({ isDefault: e.target.checked })} /> Default cluster for new
            environments
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Saving…" : draft.id ? "Save cluster" : "Add cluster"}
          </button>{" "}
          {draft.id ? (
            <button type="button" className="button link" onClick={() => startEditing(null)}>
              Cancel
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function toDraft(cluster: ClusterDto): Draft {
  return {
    id: cluster.id,
    name: cluster.name,
    kubeContext: cluster.kubeContext ?? "",
    inCluster: cluster.inCluster,
    ingressHost: cluster.ingressHost ?? "",
    isDefault: cluster.isDefault,
  };
}

function toInput(cluster: ClusterDto): ClusterInput {
  return { name: cluster.name, kubeContext: cluster.kubeContext, inCluster: cluster.inCluster, ingressHost: cluster.ingressHost, isDefault: cluster.isDefault };
}
