"use client";
import { type ReactElement, useId, useState } from "react";
import { type FieldErrors as FormErrors, type Resolver, useFieldArray } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { nestErrors, useApiForm } from "@/lib/api-client/use-api-form";
import type { DataSourceDto } from "@/lib/data/data-source-dto";
import { COLUMN_MASKS, KEY_MASKS, MASK_LABELS, type MaskingRulesDraft, readMaskingRules, toMaskingRequest } from "./masking-rules";
import { useSaveMaskingRules } from "./use-data-sources";

// Only what the form alone can get wrong; the server checks the rest and says so by row.
const resolver: Resolver<MaskingRulesDraft> = async (values) => {
  const found: Record<string, string[]> = {};
  const need = (path: string, value: string | undefined, message: string) => {
    if (!value?.trim()) found[path] = [message];
  };
  values.columns.forEach((r, i) => {
    need(`columns.${i}.table`, r.table, "Table is required.");
    need(`columns.${i}.column`, r.column, "Column is required.");
  });
  values.redis.forEach((r, i) => need(`redis.${i}.keyPattern`, r.keyPattern, "Key pattern is required, such as user:*."));
  if (Object.keys(found).length === 0) return { values, errors: {} };
  return { values: {}, errors: nestErrors(found) as FormErrors<MaskingRulesDraft> };
};

/** A MySQL or Redis source's masking rules: what each column or key's value becomes in a masked copy. */
export function MaskingRulesEditor({ source, onClose }: { source: DataSourceDto; onClose: () => void }) {
  const id = useId();
  const save = useSaveMaskingRules();
  const form = useApiForm<MaskingRulesDraft>({ resolver, defaultValues: readMaskingRules(source.maskingRules) });
  const columns = useFieldArray({ control: form.control, name: "columns" });
  const keys = useFieldArray({ control: form.control, name: "redis" });
  const [saved, setSaved] = useState<string | null>(null);
  const values = form.watch();

  const onSubmit = form.handleSubmit(async (draft) => {
    setSaved(null);
    try {
      const result = await save.mutateAsync({ id: source.id, rules: toMaskingRequest(draft) });
      form.reset(readMaskingRules(result.maskingRules));
      setSaved(`Masking rules of ${result.name} were saved.`);
    } catch (error) {
      form.showServerError(error);
    }
  });

  const cell = (path: string, label: string, control: (inputId: string) => ReactElement) => (
    <Field label={label} id={`${id}-${path}`} errors={form.messages(path)}>
      {control(`${id}-${path}`)}
    </Field>
  );

  return (
    <form className="form" style={{ maxWidth: 960 }} onSubmit={onSubmit} noValidate aria-label={`Masking rules of ${source.name}`}>
      <h2>Masking rules of {source.name}</h2>
      <p className="muted">
        {source.protected ? "Every copy from this source is masked with these rules." : "Copies from this source are masked with these rules only when it is protected."} What no rule
        names is copied as it is.
      </p>
      {saved ? (
        <p role="status" className="token-once">
          {saved}
        </p>
      ) : null}
      {form.formMessage ? (
        <div role="alert" className="alert">
          {form.formMessage}
        </div>
      ) : null}

      {source.kind === "mysql" ? (
        <fieldset className="components">
          <legend>Columns</legend>
          {form.messages("columns") ? <p className="field-error">{form.messages("columns")!.join(" ")}</p> : null}
          {columns.fields.map((row, i) => (
            <div className="component-row" key={row.id} data-testid={`mask-column-${i}`}>
              {cell(`columns.${i}.table`, "Table", (inputId) => <input id={inputId} {...form.register(`columns.${i}.table`)} placeholder="users" />)}
              {cell(`columns.${i}.column`, "Column", (inputId) => <input id={inputId} {...form.register(`columns.${i}.column`)} placeholder="email" />)}
              {cell(`columns.${i}.kind`, "Becomes", (inputId) => (
                <select id={inputId} {...form.register(`columns.${i}.kind`)}>
                  {COLUMN_MASKS.map((k) => (
                    <option key={k} value={k}>
                      {MASK_LABELS[k]}
                    </option>
                  ))}
                </select>
              ))}
              {values.columns[i]?.kind === "fixed" ? cell(`columns.${i}.value`, "Value", (inputId) => <input id={inputId} {...form.register(`columns.${i}.value`)} />) : null}
              <button type="button" className="button link" onClick={() => columns.remove(i)} aria-label={`Remove column rule ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="button" onClick={() => columns.append({ table: "", column: "", kind: "email", value: "" })}>
            Add a column rule
          </button>
        </fieldset>
      ) : null}

      {source.kind === "redis" ? (
        <fieldset className="components">
          <legend>Keys</legend>
          {form.messages("redis") ? <p className="field-error">{form.messages("redis")!.join(" ")}</p> : null}
          {keys.fields.map((row, i) => (
            <div className="component-row" key={row.id} data-testid={`mask-key-${i}`}>
              {cell(`redis.${i}.keyPattern`, "Key pattern", (inputId) => <input id={inputId} {...form.register(`redis.${i}.keyPattern`)} placeholder="user:*" />)}
              {cell(`redis.${i}.hashField`, "Hash field", (inputId) => <input id={inputId} {...form.register(`redis.${i}.hashField`)} placeholder="blank: the whole value" />)}
              {cell(`redis.${i}.kind`, "Becomes", (inputId) => (
                <select id={inputId} {...form.register(`redis.${i}.kind`)}>
                  {KEY_MASKS.map((k) => (
                    <option key={k} value={k}>
                      {MASK_LABELS[k]}
                    </option>
                  ))}
                </select>
              ))}
              {values.redis[i]?.kind === "fixed" ? cell(`redis.${i}.value`, "Value", (inputId) => <input id={inputId} {...form.register(`redis.${i}.value`)} />) : null}
              <button type="button" className="button link" onClick={() => keys.remove(i)} aria-label={`Remove key rule ${i + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="button" onClick={() => keys.append({ keyPattern: "", hashField: "", kind: "email", value: "" })}>
            Add a key rule
          </button>
        </fieldset>
      ) : null}

      <div className="actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save masking rules"}
        </button>{" "}
        <button type="button" className="button link" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
