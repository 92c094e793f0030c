"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, type FieldErrors } from "@/lib/api-client/fetcher";
import { fieldErrors } from "@/lib/http/validation";
import { createEnvironmentSchema } from "@/lib/environments/schemas";
import { useTemplates } from "@/components/templates/use-templates";
import { useCreateEnvironment } from "./use-environments";
import { Field } from "@/components/ui/field";

interface ComponentRow {
  key: number;
  name: string;
  image: string;
}

let nextKey = 1;
const emptyRow = (): ComponentRow => ({ key: nextKey++, name: "", image: "" });

/**
 * The form checks with the API's own zod schema before sending, so it shows the same
 * messages inline; the server checks again, and its field messages land in the same places.
 */
export function CreateEnvironmentForm({ cloneFrom }: { cloneFrom?: { id: string; name: string; images: string[] } }) {
  const router = useRouter();
  const create = useCreateEnvironment();
  const templates = useTemplates();
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("");
  const [rows, setRows] = useState<ComponentRow[]>(() => [emptyRow()]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const chosen = templates.data?.items.find((t) => t.id === template);

  function buildInput() {
    return {
      name: name.trim(),
      ...(template ? { template } : {}),
      ...(cloneFrom ? { cloneFrom: cloneFrom.id } : {}),
      // With a template or a clone, blank rows mean "keep those versions".
      components: rows
        .filter((r) => !(template || cloneFrom) || r.name.trim() !== "" || r.image.trim() !== "")
        .map((r) => ({ name: r.name.trim(), image: r.image.trim() })),
    };
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const input = buildInput();
    const checked = createEnvironmentSchema.safeParse(input);
    if (!checked.success) {
      setErrors(fieldErrors(checked.error));
      return;
    }
    setErrors({});
    try {
      const env = await create.mutateAsync(checked.data);
      router.push(`/environments/${env.id}`);
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(error.details);
        setFormError(error.message);
      } else {
        setFormError("Something went wrong. Try again.");
      }
    }
  }

  const update = (key: number, patch: Partial<ComponentRow>) =>
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <h1>{cloneFrom ? `Clone ${cloneFrom.name}` : "New environment"}</h1>
      {formError ? (
        <div role="alert" className="alert">
          {formError}
        </div>
      ) : null}

      <Field label="Name" id="env-name" errors={errors.name} hint="Lower case, digits and '-', at most 63: it becomes the namespace.">
        <input id="env-name" name="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" autoFocus />
      </Field>

      {cloneFrom ? (
        <p className="hint" data-testid="clone-note">
          A clone of <strong>{cloneFrom.name}</strong>, at exactly its versions: {cloneFrom.images.join(", ")}. Add a component of the same name
          below to pin another version.
        </p>
      ) : null}

      {!cloneFrom && templates.data && templates.data.items.length > 0 ? (
        <Field label="Template" id="env-template" errors={errors.template}>
          <select id="env-template" value={template} onChange={(e) => setTemplate(e.target.value)}>
            <option value="">No template: list the components</option>
            {templates.data.items.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          {chosen ? (
            <p className="hint">
              {chosen.components.map((c) => `${c.name} (${c.repository}:${c.defaultTag})`).join(", ")}. Add a component of
              the same name below to pin another version.
            </p>
          ) : null}
        </Field>
      ) : null}

      <fieldset className="components">
        <legend>Components</legend>
        {errors.components ? <p className="field-error">{errors.components.join(" ")}</p> : null}
        {rows.map((row, index) => (
          <div className="component-row" key={row.key} data-testid={`component-${index}`}>
            <Field label="Component name" id={`c-${row.key}-name`} errors={errors[`components.${index}.name`]}>
              <input id={`c-${row.key}-name`} value={row.name} placeholder="web" onChange={(e) => update(row.key, { name: e.target.value })} />
            </Field>
            <Field label="Image" id={`c-${row.key}-image`} errors={errors[`components.${index}.image`]}>
              <input
                id={`c-${row.key}-image`}
                value={row.image}
                placeholder="nginx:1.27.3"
                onChange={(e) => update(row.key, { image: e.target.value })}
              />
            </Field>
            {rows.length > 1 ? (
              <button type="button" className="button link" onClick={() => setRows((r) => r.filter((x) => x.key !== row.key))}>
                Remove
              </button>
            ) : null}
          </div>
        ))}
        <button type="button" className="button" onClick={() => setRows((r) => [...r, emptyRow()])}>
          Add component
        </button>
      </fieldset>

      <div className="actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create environment"}
        </button>
      </div>
    </form>
  );
}

