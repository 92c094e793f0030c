"use client";
import { useRouter } from "next/navigation";
import { useEffect, useId } from "react";
import { useFieldArray, type Resolver } from "react-hook-form";
import { nestErrors, useApiForm } from "@/lib/api-client/use-api-form";
import { fieldErrors } from "@/lib/http/validation";
import { createEnvironmentSchema } from "@/lib/environments/schemas";
import { useTemplates } from "@/components/templates/use-templates";
import { useLifecycleSettings } from "@/components/settings/use-lifecycle-settings";
import { useCreateEnvironment } from "./use-environments";
import { VersionPicker } from "./version-picker";
import { Field } from "@/components/ui/field";

/** A component the template (or the cloned environment) brings: its name is fixed, its version picked. */
interface BaseRow {
  name: string;
  repository: string;
  /** The template's default, or the version the cloned environment runs. */
  baseline: string;
  version: string;
}

interface Values {
  name: string;
  template: string;
  /** Hours to live; "" for the template's default. */
  ttl: string;
  base: BaseRow[];
  /** Without a template: the components. With one: components run beside the template's. */
  extra: { name: string; image: string }[];
}

export interface CloneSource {
  id: string;
  name: string;
  components: { name: string; repository: string; version: string }[];
}

const emptyRow = () => ({ name: "", image: "" });

/**
 * A new environment: from a template (one row per component, versions picked), as a clone
 * of another environment, or from a list of components. The form checks with the API's own
 * zod schema before sending, and the server's field messages land on the same rows.
 */
export function CreateEnvironmentForm({ cloneFrom, initialTemplate }: { cloneFrom?: CloneSource; initialTemplate?: string }) {
  const formId = useId();
  const router = useRouter();
  const create = useCreateEnvironment();
  const templates = useTemplates();
  const settings = useLifecycleSettings();
  const form = useApiForm<Values>({
    resolver,
    context: { cloneFrom },
    defaultValues: { name: "", template: "", ttl: "", base: cloneFrom ? cloneRows(cloneFrom) : [], extra: cloneFrom ? [] : [emptyRow()] },
  });
  const base = useFieldArray({ control: form.control, name: "base" });
  const extra = useFieldArray({ control: form.control, name: "extra" });
  const template = form.watch("template");
  const baseValues = form.watch("base");
  const chosen = templates.data?.items.find((t) => t.id === template);
  const withBase = Boolean(cloneFrom || chosen);

  // A template given in the link (from the templates page) is chosen once the list is in.
  useEffect(() => {
    if (!initialTemplate || !templates.data || form.getValues("template")) return;
    const found = templates.data.items.find((t) => t.id === initialTemplate || t.name === initialTemplate);
    if (found) chooseTemplate(found.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the templates arrive
  }, [templates.data]);

  function chooseTemplate(id: string) {
    const t = templates.data?.items.find((x) => x.id === id);
    form.setValue("template", id);
    base.replace(t ? t.components.map((c) => ({ name: c.name, repository: c.repository, baseline: c.defaultTag, version: c.defaultTag })) : []);
    // Rows typed for "no template" become extra components; blank ones go.
    const kept = form.getValues("extra").filter((r) => r.name.trim() !== "" || r.image.trim() !== "");
    extra.replace(t ? kept : kept.length > 0 ? kept : [emptyRow()]);
    form.clearErrors();
  }

  const onSubmit = form.handleSubmit(async (values) => {
    const { input, fieldOf } = toInput(values, cloneFrom);
    try {
      const env = await create.mutateAsync(createEnvironmentSchema.parse(input));
      router.push(`/environments/${env.id}`);
    } catch (error) {
      form.showServerError(error, fieldOf);
    }
  });

  const idOf = (...parts: (string | number)[]) => `${formId}-${parts.join("-")}`;

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <h1>{cloneFrom ? `Clone ${cloneFrom.name}` : "New environment"}</h1>
      {form.formMessage ? (
        <div role="alert" className="alert">
          {form.formMessage}
        </div>
      ) : null}

      <Field label="Name" id={idOf("name")} errors={form.messages("name")} hint="Lower case, digits and '-', at most 63: it becomes the namespace.">
        <input id={idOf("name")} {...form.register("name")} autoComplete="off" autoFocus />
      </Field>

      {cloneFrom ? (
        <p className="hint" data-testid="clone-note">
          A clone of <strong>{cloneFrom.name}</strong>, at exactly its versions unless you pick another below.
        </p>
      ) : templates.data && templates.data.items.length > 0 ? (
        <Field label="Template" id={idOf("template")} errors={form.messages("template")}>
          <select id={idOf("template")} value={template} onChange={(e) => chooseTemplate(e.target.value)}>
            <option value="">No template: list the components</option>
            {templates.data.items.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          {chosen?.description ? <p className="hint">{chosen.description}</p> : null}
        </Field>
      ) : null}

      <Field label="Time to live" id={idOf("ttl")} errors={form.messages("ttl")} hint="It is destroyed after this, unless extended; you are warned before.">
        <select id={idOf("ttl")} {...form.register("ttl")}>
          <option value="">{`Template default (${days(chosen?.defaultTtlHours ?? 72)})`}</option>
          {TTL_CHOICES.filter((h) => h <= (settings.data?.maxTtlHours ?? 336)).map((h) => (
            <option key={h} value={String(h)}>
              {days(h)}
            </option>
          ))}
        </select>
      </Field>

      {withBase ? (
        <fieldset className="components" data-testid="base-components">
          <legend>{cloneFrom ? `${cloneFrom.name}'s components` : `${chosen!.name}'s components`}</legend>
          {base.fields.map((row, index) => {
            const value = baseValues[index];
            const changed = value && value.version !== value.baseline;
            return (
              <div className="component-row" key={row.id} data-testid={`base-${row.name}`}>
                <div className="field">
                  <span className="label-like">{row.name}</span>
                  <code className="muted">{row.repository}</code>
                </div>
                <Field label={`Version of ${row.name}`} id={idOf("base", index, "version")} errors={form.messages(`base.${index}.version`)}>
                  <VersionPicker
                    id={idOf("base", index, "version")}
                    repository={row.repository}
                    baseline={row.baseline}
                    value={value?.version ?? row.baseline}
                    invalid={Boolean(form.messages(`base.${index}.version`))}
                    onChange={(v) => form.setValue(`base.${index}.version`, v, { shouldDirty: true })}
                  />
                </Field>
                {changed ? (
                  <span className="tag tag-changed" data-testid={`changed-${row.name}`}>
                    changed from {value.baseline}
                  </span>
                ) : null}
              </div>
            );
          })}
        </fieldset>
      ) : null}

      <fieldset className="components" data-testid="extra-components">
        <legend>{withBase ? "Extra components" : "Components"}</legend>
        {withBase && extra.fields.length === 0 ? <p className="hint">Only the components above. Extra ones run beside them.</p> : null}
        {form.messages("extra") ? <p className="field-error">{form.messages("extra")!.join(" ")}</p> : null}
        {extra.fields.map((row, index) => (
          <div className="component-row" key={row.id} data-testid={`component-${index}`}>
            <Field label="Component name" id={idOf("extra", index, "name")} errors={form.messages(`extra.${index}.name`)}>
              <input id={idOf("extra", index, "name")} {...form.register(`extra.${index}.name`)} placeholder="web" />
            </Field>
            <Field label="Image" id={idOf("extra", index, "image")} errors={form.messages(`extra.${index}.image`)}>
              <input id={idOf("extra", index, "image")} {...form.register(`extra.${index}.image`)} placeholder="nginx:1.27.3" />
            </Field>
            {withBase || extra.fields.length > 1 ? (
              <button type="button" className="button link" onClick={() => extra.remove(index)} aria-label={`Remove component ${index + 1}`}>
                Remove
              </button>
            ) : null}
          </div>
        ))}
        <button type="button" className="button" onClick={() => extra.append(emptyRow())}>
          {withBase ? "Add an extra component" : "Add component"}
        </button>
      </fieldset>

      <div className="actions">
        <button type="submit" className="button primary" disabled={form.formState.isSubmitting}>
          {create.isPending ? "Creating…" : "Create environment"}
        </button>
      </div>
    </form>
  );
}

function cloneRows(source: CloneSource): BaseRow[] {
  return source.components.map((c) => ({ name: c.name, repository: c.repository, baseline: c.version, version: c.version }));
}

function imageOf(repository: string, version: string): string {
  return version.startsWith("sha256:") ? `${repository}@${version}` : `${repository}:${version}`;
}

const TTL_CHOICES = [4, 8, 24, 72, 168, 336, 720];

function days(hours: number): string {
  if (hours < 24) return `${hours} hours`;
  const d = hours / 24;
  return d === 7 ? "1 week" : d === 14 ? "2 weeks" : `${Number.isInteger(d) ? d : d.toFixed(1)} day${d === 1 ? "" : "s"}`;
}

/**
 * The API's input from the form, and where each of the API's field paths is on the form:
 * a version override is the n-th changed base row, an extra component the n-th non-blank row.
 */
function toInput(values: Values, cloneFrom: CloneSource | undefined) {
  const withBase = Boolean(values.template || cloneFrom);
  const changed = values.base.map((r, i) => ({ r, i })).filter(({ r }) => r.version !== r.baseline);
  const extra = values.extra.map((r, i) => ({ r, i })).filter(({ r }) => !withBase || r.name.trim() !== "" || r.image.trim() !== "");
  const rows = extra.map(({ r }) => ({ name: r.name.trim(), image: r.image.trim() }));
  const input = {
    name: values.name.trim(),
    ...(values.template ? { template: values.template } : {}),
    ...(cloneFrom ? { cloneFrom: cloneFrom.id } : {}),
    components: withBase ? changed.map(({ r }) => ({ name: r.name, image: imageOf(r.repository, r.version) })) : rows,
    extraComponents: withBase ? rows : [],
    ...(values.ttl ? { ttlHours: Number(values.ttl) } : {}),
  };
  const fieldOf = (path: string) => {
    if (path === "ttlHours") return "ttl";
    const [list, n, ...rest] = path.split(".");
    const index = Number(n);
    if (list === "components" && withBase) return changed[index] ? `base.${changed[index].i}.version` : "root.server";
    const rows = list === "components" || list === "extraComponents" ? extra : null;
    if (rows && rows[index]) return ["extra", rows[index].i, ...rest].join(".");
    if (rows) return "extra";
    return path;
  };
  return { input, fieldOf };
}

// Checked with the API's own schema, on the API's input, with the messages moved onto the form's fields.
const resolver: Resolver<Values> = async (values, context) => {
  const { input, fieldOf } = toInput(values, (context as { cloneFrom?: CloneSource } | undefined)?.cloneFrom);
  const checked = createEnvironmentSchema.safeParse(input);
  if (checked.success) return { values, errors: {} };
  const moved: Record<string, string[]> = {};
  for (const [path, list] of Object.entries(fieldErrors(checked.error))) (moved[fieldOf(path)] ??= []).push(...list);
  return { values: {}, errors: nestErrors(moved) } as Awaited<ReturnType<Resolver<Values>>>;
};
