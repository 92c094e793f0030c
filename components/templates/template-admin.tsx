"use client";
import { useState, type FormEvent } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { type FieldErrors, formErrors } from "@/lib/api-client/fetcher";
import { fieldErrors } from "@/lib/http/validation";
import { type TemplateFormInput, templateInputSchema } from "@/lib/templates/schemas";
import type { TemplateDto } from "@/lib/templates/template-dto";
import { useCreateTemplate, useDeleteTemplate, useTemplates, useUpdateTemplate } from "./use-templates";
import { Field } from "@/components/ui/field";

interface ComponentRow {
  key: number;
  name: string;
  repository: string;
  defaultTag: string;
  port: string;
  replicas: string;
  public: boolean;
  /** KEY=value, one a line. */
  env: string;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
}

interface QuotaRow {
  key: number;
  resource: string;
  amount: string;
}

interface Draft {
  /** null while creating a new template. */
  id: string | null;
  name: string;
  description: string;
  ttlHours: string;
  quota: QuotaRow[];
  components: ComponentRow[];
}

let nextKey = 1;
const emptyComponent = (): ComponentRow => ({
  key: nextKey++,
  name: "",
  repository: "",
  defaultTag: "",
  port: "",
  replicas: "1",
  public: false,
  env: "",
  cpuRequest: "",
  cpuLimit: "",
  memoryRequest: "",
  memoryLimit: "",
});
const emptyQuota = (): QuotaRow => ({ key: nextKey++, resource: "", amount: "" });
const emptyDraft = (): Draft => ({ id: null, name: "", description: "", ttlHours: "72", quota: [], components: [emptyComponent()] });

const grid = { display: "grid", gridTemplateColumns: "repeat(3, minmax(0, 1fr))", gap: "0.75rem", alignItems: "start" } as const;

/**
 * Templates for admins: the list, and one form that creates or edits. The form checks with
 * the API's own zod schema first, so both give the same messages on the same fields.
 */
export function TemplateAdmin() {
  const templates = useTemplates();
  const create = useCreateTemplate();
  const update = useUpdateTemplate();
  const remove = useDeleteTemplate();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<string | null>(null);

  const editing = draft.id !== null;
  const busy = create.isPending || update.isPending;

  function startEditing(template: TemplateDto | null) {
    setDraft(template ? toDraft(template) : emptyDraft());
    setErrors({});
    setSaved(null);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const { input, problems } = toInput(draft);
    const checked = templateInputSchema.safeParse(input);
    const found = { ...(checked.success ? {} : fieldErrors(checked.error)), ...problems };
    if (!checked.success || Object.keys(problems).length > 0) {
      setErrors(found);
      return;
    }
    setErrors({});
    try {
      const result = draft.id
        ? await update.mutateAsync({ id: draft.id, input: checked.data })
        : await create.mutateAsync(checked.data);
      setDraft(toDraft(result));
      setSaved(`Template “${result.name}” was ${draft.id ? "saved" : "created"}.`);
    } catch (error) {
      setErrors(formErrors(error));
    }
  }

  async function onDelete(template: TemplateDto) {
    if (!window.confirm(`Delete the template “${template.name}”? Environments made from it keep running.`)) return;
    try {
      await remove.mutateAsync(template.id);
      if (draft.id === template.id) startEditing(null);
      setSaved(`Template “${template.name}” was deleted.`);
    } catch {
      // shown below the heading from remove.error
    }
  }

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setComponent = (key: number, patch: Partial<ComponentRow>) =>
    setDraft((d) => ({ ...d, components: d.components.map((c) => (c.key === key ? { ...c, ...patch } : c)) }));
  const setQuota = (key: number, patch: Partial<QuotaRow>) =>
    setDraft((d) => ({ ...d, quota: d.quota.map((q) => (q.key === key ? { ...q, ...patch } : q)) }));

  return (
    <section>
      <div className="page-head">
        <h1>Templates</h1>
        <button type="button" className="button" onClick={() => startEditing(null)}>
          New template
        </button>
      </div>
      {saved ? (
        <p role="status" className="token-once">
          {saved}
        </p>
      ) : null}
      {templates.isError ? <ErrorMessage error={templates.error} /> : null}
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}

      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Components</th>
            <th>Time to live</th>
            <th>Quota</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {templates.data?.items.map((t) => (
            <tr key={t.id}>
              <td>
                <strong>{t.name}</strong>
                {t.description ? <div className="muted">{t.description}</div> : null}
              </td>
              <td className="images">
                {t.components.map((c) => (
                  <code key={c.id}>
                    {c.name} {c.repository}:{c.defaultTag}
                  </code>
                ))}
              </td>
              <td>{t.defaultTtlHours} h</td>
              <td className="images">
                {Object.entries(t.quota).map(([k, v]) => (
                  <code key={k}>
                    {k}={v}
                  </code>
                ))}
              </td>
              <td>
                <button type="button" className="button" onClick={() => startEditing(t)} aria-label={`Edit ${t.name}`}>
                  Edit
                </button>{" "}
                <button type="button" className="button" onClick={() => void onDelete(t)} aria-label={`Delete ${t.name}`} disabled={remove.isPending}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {templates.data?.items.length === 0 ? (
            <tr>
              <td colSpan={5} className="empty">
                No templates yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>

      <form className="form" style={{ maxWidth: 960 }} onSubmit={onSubmit} noValidate aria-label={editing ? "Edit template" : "New template"}>
        <h2>{editing ? `Edit ${draft.name || "template"}` : "New template"}</h2>
        {errors._ ? (
          <div role="alert" className="alert">
            {errors._.join(" ")}
          </div>
        ) : null}

        <Field label="Name" id="tpl-name" errors={errors.name} hint="Lower case, digits and '-', at most 63.">
          <input id="tpl-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" />
        </Field>
        <Field label="Description" id="tpl-description" errors={errors.description}>
          <input id="tpl-description" value={draft.description} onChange={(e) => set({ description: e.target.value })} />
        </Field>
        <Field label="Default time to live (hours)" id="tpl-ttl" errors={errors.defaultTtlHours} hint="From 1 to 2160 (90 days).">
          <input id="tpl-ttl" inputMode="numeric" value={draft.ttlHours} onChange={(e) => set({ ttlHours: e.target.value })} />
        </Field>

        <fieldset className="components">
          <legend>Namespace quota</legend>
          <p className="hint">ResourceQuota limits of each environment&apos;s namespace, e.g. requests.cpu = 4, limits.memory = 8Gi, pods = 20.</p>
          {errors.quota ? <p className="field-error">{errors.quota.join(" ")}</p> : null}
          {draft.quota.map((row, index) => (
            <div className="component-row" key={row.key} data-testid={`quota-${index}`}>
              <Field label="Resource" id={`q-${row.key}-resource`} errors={errors[`quota.${row.resource.trim()}`]}>
                <input id={`q-${row.key}-resource`} value={row.resource} placeholder="requests.cpu" onChange={(e) => setQuota(row.key, { resource: e.target.value })} />
              </Field>
              <Field label="Amount" id={`q-${row.key}-amount`}>
                <input id={`q-${row.key}-amount`} value={row.amount} placeholder="4" onChange={(e) => setQuota(row.key, { amount: e.target.value })} />
              </Field>
              <button type="button" className="button link" onClick={() => set({ quota: draft.quota.filter((q) => q.key !== row.key) })}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="button" onClick={() => set({ quota: [...draft.quota, emptyQuota()] })}>
            Add quota
          </button>
        </fieldset>

        <fieldset className="components">
          <legend>Components</legend>
          {errors.components ? <p className="field-error">{errors.components.join(" ")}</p> : null}
          {draft.components.map((row, index) => {
            const at = (field: string) => errors[`components.${index}.${field}`];
            const id = (field: string) => `tc-${row.key}-${field}`;
            return (
              <fieldset className="components" key={row.key} data-testid={`template-component-${index}`}>
                <legend>Component {index + 1}</legend>
                <div style={grid}>
                  <Field label="Component name" id={id("name")} errors={at("name")}>
                    <input id={id("name")} value={row.name} placeholder="web" onChange={(e) => setComponent(row.key, { name: e.target.value })} />
                  </Field>
                  <Field label="Repository" id={id("repository")} errors={at("repository")}>
                    <input id={id("repository")} value={row.repository} placeholder="ghcr.io/acme/web" onChange={(e) => setComponent(row.key, { repository: e.target.value })} />
                  </Field>
                  <Field label="Default tag" id={id("tag")} errors={at("defaultTag")}>
                    <input id={id("tag")} value={row.defaultTag} placeholder="1.27.3" onChange={(e) => setComponent(row.key, { defaultTag: e.target.value })} />
                  </Field>
                  <Field label="Port" id={id("port")} errors={at("port")}>
                    <input id={id("port")} inputMode="numeric" value={row.port} placeholder="8080" onChange={(e) => setComponent(row.key, { port: e.target.value })} />
                  </Field>
                  <Field label="Replicas" id={id("replicas")} errors={at("replicas")}>
                    <input id={id("replicas")} inputMode="numeric" value={row.replicas} onChange={(e) => setComponent(row.key, { replicas: e.target.value })} />
                  </Field>
                  <div className="field checks">
                    <label>
                      <input type="checkbox" checked={row.public} onChange={(e) => setComponent(row.key, { public: e.target.checked })} /> Public (gets a hostname)
                    </label>
                  </div>
                  <Field label="CPU request" id={id("cpu-request")} errors={at("resources.requests.cpu")}>
                    <input id={id("cpu-request")} value={row.cpuRequest} placeholder="250m" onChange={(e) => setComponent(row.key, { cpuRequest: e.target.value })} />
                  </Field>
                  <Field label="CPU limit" id={id("cpu-limit")} errors={at("resources.limits.cpu")}>
                    <input id={id("cpu-limit")} value={row.cpuLimit} placeholder="1" onChange={(e) => setComponent(row.key, { cpuLimit: e.target.value })} />
                  </Field>
                  <div />
                  <Field label="Memory request" id={id("memory-request")} errors={at("resources.requests.memory")}>
                    <input id={id("memory-request")} value={row.memoryRequest} placeholder="256Mi" onChange={(e) => setComponent(row.key, { memoryRequest: e.target.value })} />
                  </Field>
                  <Field label="Memory limit" id={id("memory-limit")} errors={at("resources.limits.memory")}>
                    <input id={id("memory-limit")} value={row.memoryLimit} placeholder="1Gi" onChange={(e) => setComponent(row.key, { memoryLimit: e.target.value })} />
                  </Field>
                </div>
                <Field label="Env vars" id={id("env")} errors={errorsUnder(errors, `components.${index}.env`)} hint="KEY=value, one a line.">
                  <textarea
                    id={id("env")}
                    rows={3}
                    value={row.env}
                    placeholder={"LOG_LEVEL=info\nFEATURE_X=on"}
                    onChange={(e) => setComponent(row.key, { env: e.target.value })}
                    style={{ font: "inherit", fontFamily: "ui-monospace, monospace", padding: "0.45rem 0.6rem", borderRadius: 8, border: "1px solid #e3e6eb" }}
                  />
                </Field>
                {draft.components.length > 1 ? (
                  <button
                    type="button"
                    className="button link"
                    style={{ alignSelf: "flex-start" }}
                    onClick={() => set({ components: draft.components.filter((c) => c.key !== row.key) })}
                  >
                    Remove component {index + 1}
                  </button>
                ) : null}
              </fieldset>
            );
          })}
          <button type="button" className="button" onClick={() => set({ components: [...draft.components, emptyComponent()] })}>
            Add component
          </button>
        </fieldset>

        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Saving…" : editing ? "Save template" : "Create template"}
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

/** Messages on `prefix` and on anything below it (`components.0.env.KEY`). */
function errorsUnder(errors: FieldErrors, prefix: string): string[] | undefined {
  const found = Object.entries(errors)
    .filter(([key]) => key === prefix || key.startsWith(`${prefix}.`))
    .flatMap(([, messages]) => messages);
  return found.length > 0 ? found : undefined;
}

function toDraft(template: TemplateDto): Draft {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    ttlHours: String(template.defaultTtlHours),
    quota: Object.entries(template.quota).map(([resource, amount]) => ({ key: nextKey++, resource, amount })),
    components: template.components.map((c) => ({
      key: nextKey++,
      name: c.name,
      repository: c.repository,
      defaultTag: c.defaultTag,
      port: c.port === null ? "" : String(c.port),
      replicas: String(c.replicas),
      public: c.public,
      env: Object.entries(c.env)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
      cpuRequest: c.resources.requests?.cpu ?? "",
      cpuLimit: c.resources.limits?.cpu ?? "",
      memoryRequest: c.resources.requests?.memory ?? "",
      memoryLimit: c.resources.limits?.memory ?? "",
    })),
  };
}

/**
 * The draft as the API's input. What only the form can get wrong (a line without "=", a
 * resource named twice) comes back as `problems`, keyed like the API's field messages.
 */
function toInput(draft: Draft): { input: TemplateFormInput; problems: FieldErrors } {
  const problems: FieldErrors = {};
  const quota: Record<string, string> = {};
  for (const row of draft.quota) {
    const resource = row.resource.trim();
    if (resource === "" && row.amount.trim() === "") continue;
    if (resource in quota) (problems[`quota.${resource}`] ??= []).push(`${resource} is listed twice.`);
    quota[resource] = row.amount.trim();
  }
  const components = draft.components.map((row, index) => {
    const env: Record<string, string> = {};
    row.env.split(/\r?\n/).forEach((line, lineIndex) => {
      if (line.trim() === "") return;
      const eq = line.indexOf("=");
      const key = `components.${index}.env`;
      if (eq === -1) (problems[key] ??= []).push(`Line ${lineIndex + 1} has no “=”: write KEY=value.`);
      else if (line.slice(0, eq).trim() in env) (problems[key] ??= []).push(`${line.slice(0, eq).trim()} is set twice.`);
      else env[line.slice(0, eq).trim()] = line.slice(eq + 1);
    });
    const requests = resourceList(row.cpuRequest, row.memoryRequest);
    const limits = resourceList(row.cpuLimit, row.memoryLimit);
    return {
      name: row.name.trim(),
      repository: row.repository.trim(),
      defaultTag: row.defaultTag.trim(),
      port: row.port.trim() === "" ? null : Number(row.port),
      replicas: row.replicas.trim() === "" ? undefined : Number(row.replicas),
      public: row.public,
      env,
      resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
    };
  });
  return {
    input: {
      name: draft.name.trim(),
      description: draft.description,
      defaultTtlHours: draft.ttlHours.trim() === "" ? undefined : Number(draft.ttlHours),
      quota,
      components,
    },
    problems,
  };
}

function resourceList(cpu: string, memory: string) {
  const list = { ...(cpu.trim() ? { cpu: cpu.trim() } : {}), ...(memory.trim() ? { memory: memory.trim() } : {}) };
  return Object.keys(list).length > 0 ? list : undefined;
}
