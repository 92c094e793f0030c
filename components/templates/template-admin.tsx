"use client";
import { useId, useState } from "react";
import { type FieldErrors as FormErrors, type Resolver, useFieldArray } from "react-hook-form";
import { ErrorMessage } from "@/components/ui/error-message";
import type { FieldErrors } from "@/lib/api-client/fetcher";
import { nestErrors, useApiForm } from "@/lib/api-client/use-api-form";
import { fieldErrors } from "@/lib/http/validation";
import { type TemplateFormInput, templateInputSchema } from "@/lib/templates/schemas";
import type { TemplateDto } from "@/lib/templates/template-dto";
import { TemplateCatalogue } from "./template-catalogue";
import { useCreateTemplate, useDeleteTemplate, useUpdateTemplate } from "./use-templates";
import { Field } from "@/components/ui/field";

interface ComponentRow {
  name: string;
  repository: string;
  defaultTag: string;
  port: string;
  replicas: string;
  public: boolean;
  persistent: boolean;
  startOrder: string;
  /** KEY=value, one a line. */
  env: string;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
}

type StoreKind = "mysql" | "redis" | "s3";

const STORE_CHOICES: { kind: StoreKind; label: string }[] = [
  { kind: "mysql", label: "MySQL database" },
  { kind: "redis", label: "Redis prefix" },
  { kind: "s3", label: "S3 prefix" },
];

interface QuotaRow {
  resource: string;
  amount: string;
}

interface Draft {
  name: string;
  description: string;
  ttlHours: string;
  /** The stores each environment gets. */
  dataStores: StoreKind[];
  quota: QuotaRow[];
  components: ComponentRow[];
}

const emptyComponent = (): ComponentRow => ({
  name: "",
  repository: "",
  defaultTag: "",
  port: "",
  replicas: "1",
  public: false,
  persistent: false,
  startOrder: "",
  env: "",
  cpuRequest: "",
  cpuLimit: "",
  memoryRequest: "",
  memoryLimit: "",
});
const emptyQuota = (): QuotaRow => ({ resource: "", amount: "" });
const emptyDraft = (): Draft => ({ name: "", description: "", ttlHours: "72", dataStores: [], quota: [], components: [emptyComponent()] });

// The form's values become the API's input before they are checked (the API's schema, plus
// what only the form can get wrong), so messages land under the API's own field paths.
const resolver: Resolver<Draft> = async (values) => {
  const { input, problems } = toInput(values);
  const checked = templateInputSchema.safeParse(input);
  const found = { ...(checked.success ? {} : fieldErrors(checked.error)), ...problems };
  if (Object.keys(found).length === 0) return { values, errors: {} };
  return { values: {}, errors: nestErrors(found) as FormErrors<Draft> };
};

const grid = { display: "grid", gridTemplateColumns: "repeat(3, minmax(0, 1fr))", gap: "0.75rem", alignItems: "start" } as const;

/**
 * Templates for admins: the list, and one form that creates or edits. The form checks with
 * the API's own zod schema first, so both give the same messages on the same fields.
 */
export function TemplateAdmin() {
  // Ids from React, the same in the server's render and the browser's, and by row position.
  const formId = useId();
  const create = useCreateTemplate();
  const update = useUpdateTemplate();
  const remove = useDeleteTemplate();
  // The template being edited; null while creating a new one.
  const [editingId, setEditingId] = useState<string | null>(null);
  const form = useApiForm<Draft>({ resolver, defaultValues: emptyDraft() });
  const components = useFieldArray({ control: form.control, name: "components" });
  const quotaRows = useFieldArray({ control: form.control, name: "quota" });
  const [saved, setSaved] = useState<string | null>(null);

  const editing = editingId !== null;
  const busy = create.isPending || update.isPending;
  const draftName = form.watch("name");

  function startEditing(template: TemplateDto | null) {
    setEditingId(template?.id ?? null);
    form.reset(template ? toDraft(template) : emptyDraft());
    setSaved(null);
  }

  const onSubmit = form.handleSubmit(async (values) => {
    setSaved(null);
    const input = templateInputSchema.parse(toInput(values).input);
    try {
      const result = editingId ? await update.mutateAsync({ id: editingId, input }) : await create.mutateAsync(input);
      startEditing(result);
      setSaved(`Template “${result.name}” was ${editingId ? "saved" : "created"}.`);
    } catch (error) {
      form.showServerError(error);
    }
  });

  async function onDelete(template: TemplateDto) {
    if (!window.confirm(`Delete the template “${template.name}”? Environments made from it keep running.`)) return;
    try {
      await remove.mutateAsync(template.id);
      if (editingId === template.id) startEditing(null);
      setSaved(`Template “${template.name}” was deleted.`);
    } catch {
      // shown below the heading from remove.error
    }
  }

  const quotaValues = form.watch("quota");

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
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}

      <TemplateCatalogue
        actions={(t) => (
          <>
            <button type="button" className="button" onClick={() => startEditing(t)} aria-label={`Edit ${t.name}`}>
              Edit
            </button>
            <button type="button" className="button" onClick={() => void onDelete(t)} aria-label={`Delete ${t.name}`} disabled={remove.isPending}>
              Delete
            </button>
          </>
        )}
      />

      <form className="form" style={{ maxWidth: 960 }} onSubmit={onSubmit} noValidate aria-label={editing ? "Edit template" : "New template"}>
        <h2>{editing ? `Edit ${draftName || "template"}` : "New template"}</h2>
        {form.formMessage ? (
          <div role="alert" className="alert">
            {form.formMessage}
          </div>
        ) : null}

        <Field label="Name" id={`${formId}-name`} errors={form.messages("name")} hint="Lower case, digits and '-', at most 63.">
          <input id={`${formId}-name`} {...form.register("name")} autoComplete="off" />
        </Field>
        <Field label="Description" id={`${formId}-description`} errors={form.messages("description")}>
          <input id={`${formId}-description`} {...form.register("description")} />
        </Field>
        <Field label="Default time to live (hours)" id={`${formId}-ttl`} errors={form.messages("defaultTtlHours")} hint="From 1 to 2160 (90 days).">
          <input id={`${formId}-ttl`} inputMode="numeric" {...form.register("ttlHours")} />
        </Field>

        <fieldset className="components" aria-describedby={`${formId}-stores-hint`}>
          <legend>Data stores</legend>
          <p className="hint" id={`${formId}-stores-hint`}>
            Each environment gets its own, made on the kind&apos;s store host and removed with it; people copy data into them.
          </p>
          {form.messagesUnder("dataStores") ? <p className="field-error">{form.messagesUnder("dataStores")!.join(" ")}</p> : null}
          <div className="field checks">
            {STORE_CHOICES.map((c) => (
              <label key={c.kind}>
                <input type="checkbox" value={c.kind} {...form.register("dataStores")} /> {c.label}
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="components">
          <legend>Namespace quota</legend>
          <p className="hint">ResourceQuota limits of each environment&apos;s namespace, e.g. requests.cpu = 4, limits.memory = 8Gi, pods = 20.</p>
          {form.messages("quota") ? <p className="field-error">{form.messages("quota")!.join(" ")}</p> : null}
          {quotaRows.fields.map((row, index) => (
            <div className="component-row" key={row.id} data-testid={`quota-${index}`}>
              <Field label="Resource" id={`${formId}-quota-${index}-resource`} errors={form.messages(`quota.${(quotaValues[index]?.resource ?? "").trim()}`)}>
                <input id={`${formId}-quota-${index}-resource`} {...form.register(`quota.${index}.resource`)} placeholder="requests.cpu" />
              </Field>
              <Field label="Amount" id={`${formId}-quota-${index}-amount`}>
                <input id={`${formId}-quota-${index}-amount`} {...form.register(`quota.${index}.amount`)} placeholder="4" />
              </Field>
              <button type="button" className="button link" onClick={() => quotaRows.remove(index)}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="button" onClick={() => quotaRows.append(emptyQuota())}>
            Add quota
          </button>
        </fieldset>

        <fieldset className="components">
          <legend>Components</legend>
          {form.messages("components") ? <p className="field-error">{form.messages("components")!.join(" ")}</p> : null}
          {components.fields.map((row, index) => {
            const at = (field: string) => form.messages(`components.${index}.${field}`);
            const id = (field: string) => `${formId}-component-${index}-${field}`;
            const reg = (field: keyof ComponentRow) => form.register(`components.${index}.${field}`);
            return (
              <fieldset className="components" key={row.id} data-testid={`template-component-${index}`}>
                <legend>Component {index + 1}</legend>
                <div style={grid}>
                  <Field label="Component name" id={id("name")} errors={at("name")}>
                    <input id={id("name")} {...reg("name")} placeholder="web" />
                  </Field>
                  <Field label="Repository" id={id("repository")} errors={at("repository")}>
                    <input id={id("repository")} {...reg("repository")} placeholder="ghcr.io/acme/web" />
                  </Field>
                  <Field label="Default tag" id={id("tag")} errors={at("defaultTag")}>
                    <input id={id("tag")} {...reg("defaultTag")} placeholder="1.27.3" />
                  </Field>
                  <Field label="Port" id={id("port")} errors={at("port")}>
                    <input id={id("port")} inputMode="numeric" {...reg("port")} placeholder="8080" />
                  </Field>
                  <Field label="Replicas" id={id("replicas")} errors={at("replicas")}>
                    <input id={id("replicas")} inputMode="numeric" {...reg("replicas")} />
                  </Field>
                  <div className="field checks">
                    <label>
                      <input type="checkbox" {...reg("public")} /> Public (gets a hostname)
                    </label>
                    <label>
                      <input type="checkbox" {...reg("persistent")} /> Persistent (stays up while asleep)
                    </label>
                  </div>
                  <Field label="Start order" id={id("start-order")} errors={at("startOrder")} hint="Woken lowest first; empty: no order.">
                    <input id={id("start-order")} inputMode="numeric" {...reg("startOrder")} placeholder="0" />
                  </Field>
                  <Field label="CPU request" id={id("cpu-request")} errors={at("resources.requests.cpu")}>
                    <input id={id("cpu-request")} {...reg("cpuRequest")} placeholder="250m" />
                  </Field>
                  <Field label="CPU limit" id={id("cpu-limit")} errors={at("resources.limits.cpu")}>
                    <input id={id("cpu-limit")} {...reg("cpuLimit")} placeholder="1" />
                  </Field>
                  <div />
                  <Field label="Memory request" id={id("memory-request")} errors={at("resources.requests.memory")}>
                    <input id={id("memory-request")} {...reg("memoryRequest")} placeholder="256Mi" />
                  </Field>
                  <Field label="Memory limit" id={id("memory-limit")} errors={at("resources.limits.memory")}>
                    <input id={id("memory-limit")} {...reg("memoryLimit")} placeholder="1Gi" />
                  </Field>
                </div>
                <Field label="Env vars" id={id("env")} errors={form.messagesUnder(`components.${index}.env`)} hint="KEY=value, one a line.">
                  <textarea
                    id={id("env")}
                    rows={3}
                    {...reg("env")}
                    placeholder={"LOG_LEVEL=info\nFEATURE_X=on"}
                    style={{ font: "inherit", fontFamily: "ui-monospace, monospace", padding: "0.45rem 0.6rem", borderRadius: 8, border: "1px solid #e3e6eb" }}
                  />
                </Field>
                {components.fields.length > 1 ? (
                  <button type="button" className="button link" style={{ alignSelf: "flex-start" }} onClick={() => components.remove(index)}>
                    Remove component {index + 1}
                  </button>
                ) : null}
              </fieldset>
            );
          })}
          <button type="button" className="button" onClick={() => components.append(emptyComponent())}>
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

function toDraft(template: TemplateDto): Draft {
  return {
    name: template.name,
    description: template.description,
    ttlHours: String(template.defaultTtlHours),
    dataStores: [...template.dataStores],
    quota: Object.entries(template.quota).map(([resource, amount]) => ({ resource, amount })),
    components: template.components.map((c) => ({
      name: c.name,
      repository: c.repository,
      defaultTag: c.defaultTag,
      port: c.port === null ? "" : String(c.port),
      replicas: String(c.replicas),
      public: c.public,
      persistent: c.persistent,
      startOrder: c.startOrder === null ? "" : String(c.startOrder),
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
      persistent: row.persistent,
      startOrder: row.startOrder.trim() === "" ? null : Number(row.startOrder),
      env,
      resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
    };
  });
  return {
    input: {
      name: draft.name.trim(),
      description: draft.description,
      defaultTtlHours: draft.ttlHours.trim() === "" ? undefined : Number(draft.ttlHours),
      // A group of boxes is a list; react-hook-form gives a lone box's value or false instead.
      dataStores: storeList(draft.dataStores as unknown),
      quota,
      components,
    },
    problems,
  };
}

function storeList(value: unknown): StoreKind[] {
  if (Array.isArray(value)) return value as StoreKind[];
  return typeof value === "string" ? [value as StoreKind] : [];
}

function resourceList(cpu: string, memory: string) {
  const list = { ...(cpu.trim() ? { cpu: cpu.trim() } : {}), ...(memory.trim() ? { memory: memory.trim() } : {}) };
  return Object.keys(list).length > 0 ? list : undefined;
}
