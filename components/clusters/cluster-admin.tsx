"use client";
import { useId, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { useApiForm, zodResolver } from "@/lib/api-client/use-api-form";
import type { ClusterDto } from "@/lib/clusters/cluster-dto";
import { type ClusterFormInput, type ClusterInput, clusterInputSchema } from "@/lib/clusters/schemas";
import { useClusters, useCreateCluster, useDeleteCluster, useUpdateCluster } from "./use-clusters";
import { Field } from "@/components/ui/field";

// What the form holds: the schema's input, which it checks with before sending.
type Draft = ClusterFormInput;

const emptyDraft = (): Draft => ({ name: "", kubeContext: "", inCluster: false, ingressHost: "", dnsDomain: "", dnsZoneId: "", urlScheme: "https", urlPort: null, wakerUrl: "", ingressMetricsUrl: "", isDefault: false });

/** Clusters for admins: the list with a "make default" action, and one form to add or edit. */
export function ClusterAdmin() {
  const formId = useId();
  const clusters = useClusters();
  const create = useCreateCluster();
  const update = useUpdateCluster();
  const remove = useDeleteCluster();
  // The cluster being edited; null while adding a new one.
  const [editing, setEditing] = useState<string | null>(null);
  const form = useApiForm<Draft>({ resolver: zodResolver(clusterInputSchema, undefined, { raw: true }), defaultValues: emptyDraft() });
  const draft = form.watch();
  const [saved, setSaved] = useState<string | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const busy = create.isPending || update.isPending || remove.isPending;

  function startEditing(cluster: ClusterDto | null) {
    setEditing(cluster?.id ?? null);
    form.reset(cluster ? toDraft(cluster) : emptyDraft());
    setSaved(null);
  }

  const onSubmit = form.handleSubmit(async (values) => {
    setSaved(null);
    const input = clusterInputSchema.parse({ ...values, name: values.name.trim() });
    try {
      const result = editing ? await update.mutateAsync({ id: editing, input }) : await create.mutateAsync(input);
      startEditing(result);
      setSaved(`Cluster “${result.name}” was ${editing ? "saved" : "added"}.`);
    } catch (error) {
      form.showServerError(error);
    }
  });

  async function makeDefault(cluster: ClusterDto) {
    setSaved(null);
    setListError(null);
    try {
      await update.mutateAsync({ id: cluster.id, input: { ...toInput(cluster), isDefault: true } });
      if (editing === cluster.id) form.setValue("isDefault", true);
      else if (editing) form.setValue("isDefault", false);
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
      if (editing === cluster.id) startEditing(null);
      setSaved(`Cluster “${cluster.name}” was removed.`);
    } catch (error) {
      setListError(error);
    }
  }


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

      <form className="form" onSubmit={onSubmit} noValidate aria-label={editing ? "Edit cluster" : "New cluster"}>
        <h2>{editing ? `Edit ${draft.name || "cluster"}` : "New cluster"}</h2>
        {form.formMessage ? (
          <div role="alert" className="alert">
            {form.formMessage}
          </div>
        ) : null}
        <Field label="Name" id={`${formId}-name`} errors={form.messages("name")} hint="Lower case, digits and '-', at most 63.">
          <input id={`${formId}-name`} {...form.register("name")} autoComplete="off" />
        </Field>
        <div className="field checks">
          <label>
            <input
              type="checkbox"
              {...form.register("inCluster", { onChange: (e: { target: { checked: boolean } }) => e.target.checked && form.setValue("kubeContext", "") })}
            />{" "}
            Corral runs inside this cluster (use its service account)
          </label>
        </div>
        <Field
          label="Kubeconfig context"
          id={`${formId}-context`}
          errors={form.messages("kubeContext")}
          hint="A context of the kubeconfig Corral runs with; empty means its current context."
        >
          <input id={`${formId}-context`} {...form.register("kubeContext")} disabled={draft.inCluster} />
        </Field>
        <Field
          label="Ingress target"
          id={`${formId}-ingress`}
          errors={form.messages("ingressHost")}
          hint="Where environments' DNS records point: ingress.eu.example.com (CNAME), IP addresses (A/AAAA), or alias:<zone id>/<load balancer>."
        >
          <input id={`${formId}-ingress`} {...form.register("ingressHost")} />
        </Field>
        <Field label="DNS zone" id={`${formId}-domain`} errors={form.messages("dnsDomain")} hint="The Route 53 zone's domain: environments answer at <component>.<environment>.<zone>.">
          <input id={`${formId}-domain`} {...form.register("dnsDomain")} placeholder="envs.example.com" />
        </Field>
        <Field label="Zone id" id={`${formId}-zone-id`} errors={form.messages("dnsZoneId")} hint="Route 53's id of the zone; empty: found by its domain.">
          <input id={`${formId}-zone-id`} {...form.register("dnsZoneId")} placeholder="Z0123456789ABCDEFGHIJ" />
        </Field>
        <Field label="URL scheme" id={`${formId}-scheme`} errors={form.messages("urlScheme")}>
          <select id={`${formId}-scheme`} {...form.register("urlScheme")}>
            <option value="https">https</option>
            <option value="http">http</option>
          </select>
        </Field>
        <Field label="URL port" id={`${formId}-port`} errors={form.messages("urlPort")} hint="Empty: the scheme's own (443 or 80).">
          <input id={`${formId}-port`} inputMode="numeric" {...form.register("urlPort", { setValueAs: (v: unknown) => (v === "" || v === null || v === undefined ? null : Number(v)) })} />
        </Field>
        <Field label="Waker URL" id={`${formId}-waker`} errors={form.messages("wakerUrl")} hint="Corral as this cluster's ingress reaches it: a sleeping environment's names show a “waking up” page from here. Empty: they answer as an ingress with no pods does.">
          <input id={`${formId}-waker`} {...form.register("wakerUrl")} placeholder="https://corral.example.com" />
        </Field>
        <Field label="Ingress metrics URL" id={`${formId}-metrics`} errors={form.messages("ingressMetricsUrl")} hint="ingress-nginx's Prometheus metrics: visits to environments' names keep them awake.">
          <input id={`${formId}-metrics`} {...form.register("ingressMetricsUrl")} placeholder="http://ingress-nginx-controller-metrics.ingress-nginx:10254/metrics" />
        </Field>
        <div className="field checks">
          <label>
            <input type="checkbox" {...form.register("isDefault")} /> Default cluster for new environments
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Saving…" : editing ? "Save cluster" : "Add cluster"}
          </button>{" "}
          {editing ? (
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
    name: cluster.name,
    kubeContext: cluster.kubeContext ?? "",
    inCluster: cluster.inCluster,
    ingressHost: cluster.ingressHost ?? "",
    dnsDomain: cluster.dnsDomain ?? "",
    dnsZoneId: cluster.dnsZoneId ?? "",
    urlScheme: cluster.urlScheme === "http" ? "http" : "https",
    urlPort: cluster.urlPort,
    wakerUrl: cluster.wakerUrl ?? "",
    ingressMetricsUrl: cluster.ingressMetricsUrl ?? "",
    isDefault: cluster.isDefault,
  };
}

function toInput(cluster: ClusterDto): ClusterInput {
  return {
    name: cluster.name,
    kubeContext: cluster.kubeContext,
    inCluster: cluster.inCluster,
    ingressHost: cluster.ingressHost,
    dnsDomain: cluster.dnsDomain,
    dnsZoneId: cluster.dnsZoneId,
    urlScheme: cluster.urlScheme === "http" ? "http" : "https",
    urlPort: cluster.urlPort,
    wakerUrl: cluster.wakerUrl,
    ingressMetricsUrl: cluster.ingressMetricsUrl,
    isDefault: cluster.isDefault,
  };
}
