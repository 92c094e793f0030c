"use client";
import { useRouter } from "next/navigation";
import { useFieldArray, type Resolver } from "react-hook-form";
import { useApiForm, zodResolver } from "@/lib/api-client/use-api-form";
import { createEnvironmentSchema } from "@/lib/environments/schemas";
import { useTemplates } from "@/components/templates/use-templates";
import { useCreateEnvironment } from "./use-environments";
import { Field } from "@/components/ui/field";

interface Values {
  name: string;
  template: string;
  components: { name: string; image: string }[];
}

const emptyRow = () => ({ name: "", image: "" });

/**
 * The form checks with the API's own zod schema before sending, so it shows the same
 * messages inline; the server checks again, and its field messages land in the same places.
 */
export function CreateEnvironmentForm({ cloneFrom }: { cloneFrom?: { id: string; name: string; images: string[] } }) {
  const router = useRouter();
  const create = useCreateEnvironment();
  const templates = useTemplates();
  // What is sent: trimmed, with blank rows left out when a template or a clone gives the versions.
  const toInput = (values: Values) => ({
    name: values.name.trim(),
    ...(values.template ? { template: values.template } : {}),
    ...(cloneFrom ? { cloneFrom: cloneFrom.id } : {}),
    components: values.components
      .filter((r) => !(values.template || cloneFrom) || r.name.trim() !== "" || r.image.trim() !== "")
      .map((r) => ({ name: r.name.trim(), image: r.image.trim() })),
  });
  const checkWithSchema = zodResolver(createEnvironmentSchema, undefined, { raw: true });
  const resolver: Resolver<Values> = async (values, context, options) => {
    const result = await checkWithSchema(toInput(values) as never, context, options as never);
    return { values: Object.keys(result.errors).length === 0 ? values : {}, errors: result.errors } as Awaited<ReturnType<Resolver<Values>>>;
  };
  const form = useApiForm<Values>({ resolver, defaultValues: { name: "", template: "", components: [emptyRow()] } });
  const rows = useFieldArray({ control: form.control, name: "components" });
  const template = form.watch("template");
  const chosen = templates.data?.items.find((t) => t.id === template);

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const env = await create.mutateAsync(createEnvironmentSchema.parse(toInput(values)));
      router.push(`/environments/${env.id}`);
    } catch (error) {
      form.showServerError(error);
    }
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <h1>{cloneFrom ? `Clone ${cloneFrom.name}` : "New environment"}</h1>
      {form.formMessage ? (
        <div role="alert" className="alert">
          {form.formMessage}
        </div>
      ) : null}

      <Field label="Name" id="env-name" errors={form.messages("name")} hint="Lower case, digits and '-', at most 63: it becomes the namespace.">
        <input id="env-name" {...form.register("name")} autoComplete="off" autoFocus />
      </Field>

      {cloneFrom ? (
        <p className="hint" data-testid="clone-note">
          A clone of <strong>{cloneFrom.name}</strong>, at exactly its versions: {cloneFrom.images.join(", ")}. Add a component of the same name
          below to pin another version.
        </p>
      ) : null}

      {!cloneFrom && templates.data && templates.data.items.length > 0 ? (
        <Field label="Template" id="env-template" errors={form.messages("template")}>
          <select id="env-template" {...form.register("template")}>
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
        {form.messages("components") ? <p className="field-error">{form.messages("components")!.join(" ")}</p> : null}
        {rows.fields.map((row, index) => (
          <div className="component-row" key={row.id} data-testid={`component-${index}`}>
            <Field label="Component name" id={`c-${row.id}-name`} errors={form.messages(`components.${index}.name`)}>
              <input id={`c-${row.id}-name`} {...form.register(`components.${index}.name`)} placeholder="web" />
            </Field>
            <Field label="Image" id={`c-${row.id}-image`} errors={form.messages(`components.${index}.image`)}>
              <input id={`c-${row.id}-image`} {...form.register(`components.${index}.image`)} placeholder="nginx:1.27.3" />
            </Field>
            {rows.fields.length > 1 ? (
              <button type="button" className="button link" onClick={() => rows.remove(index)}>
                Remove
              </button>
            ) : null}
          </div>
        ))}
        <button type="button" className="button" onClick={() => rows.append(emptyRow())}>
          Add component
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

