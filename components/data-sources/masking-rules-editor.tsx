"use client";
import { type ReactElement, type ReactNode, useId, useState } from "react";
import { type FieldArrayWithId, type FieldErrors as FormErrors, type Resolver, useFieldArray } from "react-hook-form";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { type ApiForm, nestErrors, useApiForm } from "@/lib/api-client/use-api-form";
import type { DataSourceDto } from "@/lib/data/data-source-dto";
import { pickerChoices, rulesForTable, stillUnruled, suggestedRule } from "./masking-inspection";
import { type ColumnRule, COLUMN_MASKS, KEY_MASKS, MASK_LABELS, type MaskingRulesDraft, readMaskingRules, toMaskingRequest } from "./masking-rules";
import { type MaskingPreviewResult, useInspectDataSource, useMaskingPreview, useSaveMaskingRules } from "./use-data-sources";

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
        <MysqlColumnRules
          source={source}
          form={form}
          rows={columns.fields}
          values={values.columns}
          onAdd={(rule) => columns.append(rule)}
          onRemove={(i) => columns.remove(i)}
          cell={cell}
        />
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

type Cell = (path: string, label: string, control: (inputId: string) => ReactElement) => ReactElement;

/**
 * The column rules of a MySQL source, with its tables and columns to pick from (typed by hand
 * when the source cannot be read), the personal-looking columns no rule names yet, rules that no
 * longer fit the schema, and a preview of the rules being edited on a few rows.
 */
function MysqlColumnRules(props: {
  source: DataSourceDto;
  form: ApiForm<MaskingRulesDraft>;
  rows: FieldArrayWithId<MaskingRulesDraft, "columns">[];
  values: ColumnRule[];
  onAdd: (rule: ColumnRule) => void;
  onRemove: (index: number) => void;
  cell: Cell;
}) {
  const { form, values, cell } = props;
  const inspect = useInspectDataSource(props.source.id);
  const tables = inspect.data?.tables ?? [];
  // Pickers only when the source's tables are known; otherwise the names are typed.
  const pick = inspect.isSuccess && inspect.data.problem === null && tables.length > 0;
  const unruled = stillUnruled(inspect.data?.unmaskedPersonal ?? [], values);
  const ruleProblems = inspect.data?.ruleProblems ?? [];

  return (
    <fieldset className="components">
      <legend>Columns</legend>
      {inspect.isPending ? <p className="muted">Reading the source&apos;s tables…</p> : null}
      {inspect.data?.problem ? (
        <p className="problem" role="status">
          The source&apos;s tables could not be read, so table and column names are typed: {inspect.data.problem}
        </p>
      ) : null}
      {/* A refusal or an outage: the names are typed; the error says which. */}
      {inspect.isError ? <ErrorMessage error={inspect.error} /> : null}
      {ruleProblems.length > 0 ? (
        <div className="warning" data-testid="rule-problems">
          Saved rules that do not fit the source:
          <ul>
            {ruleProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {unruled.length > 0 ? (
        <div className="warning" data-testid="unmasked-personal">
          These columns look personal and have no rule:
          <ul>
            {unruled.map((p) => (
              <li key={`${p.table}.${p.column}`}>
                <code>
                  {p.table}.{p.column}
                </code>{" "}
                — {p.why}{" "}
                <button type="button" className="button link" onClick={() => props.onAdd(suggestedRule(p))} aria-label={`Add rule for ${p.table}.${p.column}`}>
                  Add rule
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {form.messages("columns") ? <p className="field-error">{form.messages("columns")!.join(" ")}</p> : null}
      {props.rows.map((row, i) => {
        const table = values[i]?.table ?? "";
        const columnNames = tables.find((t) => t.table === table)?.columns ?? [];
        return (
          <div className="component-row" key={row.id} data-testid={`mask-column-${i}`}>
            {cell(`columns.${i}.table`, "Table", (inputId) =>
              pick ? (
                <select id={inputId} {...form.register(`columns.${i}.table`, { onChange: () => form.setValue(`columns.${i}.column`, "") })}>
                  <option value="">Choose…</option>
                  {pickerChoices(
                    tables.map((t) => t.table),
                    table,
                  ).map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.missing ? `${c.value} (not in the source)` : c.value}
                    </option>
                  ))}
                </select>
              ) : (
                <input id={inputId} {...form.register(`columns.${i}.table`)} placeholder="users" />
              ),
            )}
            {cell(`columns.${i}.column`, "Column", (inputId) =>
              pick ? (
                <select id={inputId} {...form.register(`columns.${i}.column`)}>
                  <option value="">{table ? "Choose…" : "Choose a table first"}</option>
                  {pickerChoices(columnNames, values[i]?.column ?? "").map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.missing ? `${c.value} (not in ${table || "the table"})` : c.value}
                    </option>
                  ))}
                </select>
              ) : (
                <input id={inputId} {...form.register(`columns.${i}.column`)} placeholder="email" />
              ),
            )}
            {cell(`columns.${i}.kind`, "Becomes", (inputId) => (
              <select id={inputId} {...form.register(`columns.${i}.kind`)}>
                {COLUMN_MASKS.map((k) => (
                  <option key={k} value={k}>
                    {MASK_LABELS[k]}
                  </option>
                ))}
              </select>
            ))}
            {values[i]?.kind === "fixed" ? cell(`columns.${i}.value`, "Value", (inputId) => <input id={inputId} {...form.register(`columns.${i}.value`)} />) : null}
            <button type="button" className="button link" onClick={() => props.onRemove(i)} aria-label={`Remove column rule ${i + 1}`}>
              Remove
            </button>
          </div>
        );
      })}
      <button type="button" className="button" onClick={() => props.onAdd({ table: "", column: "", kind: "email", value: "" })}>
        Add a column rule
      </button>

      <MaskingPreview sourceId={props.source.id} tables={tables.map((t) => t.table)} rules={values} />
    </fieldset>
  );
}

/** The rules being edited, not yet saved, applied to a few rows of one table. */
function MaskingPreview({ sourceId, tables, rules }: { sourceId: string; tables: string[]; rules: ColumnRule[] }) {
  const id = useId();
  const preview = useMaskingPreview();
  const firstRuled = rules.find((r) => tables.includes(r.table))?.table ?? "";
  const [chosen, setChosen] = useState("");
  const [typed, setTyped] = useState("");
  const table = (tables.length > 0 ? chosen || firstRuled || tables[0] : typed.trim()) ?? "";

  function run() {
    if (!table) return;
    preview.mutate({ id: sourceId, table, columns: toMaskingRequest({ columns: rulesForTable(rules, table), redis: [] }).columns });
  }

  return (
    <section className="masking-preview" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Preview</h3>
      <p className="muted">A few rows of a table as they are and as a copy writes them, with the rules above (before they are saved).</p>
      <div className="component-row">
        <Field label="Table to preview" id={`${id}-table`}>
          {tables.length > 0 ? (
            <select id={`${id}-table`} value={table} onChange={(e) => setChosen(e.target.value)}>
              {tables.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          ) : (
            <input id={`${id}-table`} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="users" />
          )}
        </Field>
        <button type="button" className="button" onClick={run} disabled={!table || preview.isPending}>
          {preview.isPending ? "Reading rows…" : "Preview"}
        </button>
      </div>
      {preview.isError ? <ErrorMessage error={preview.error} /> : null}
      {preview.data && !preview.isPending ? <PreviewTable result={preview.data} /> : null}
    </section>
  );
}

function PreviewTable({ result }: { result: MaskingPreviewResult }) {
  const masked = new Set(result.masked);
  const cell = (value: unknown) => (value === null ? <span className="muted">NULL</span> : String(value));
  const head = (label: string) => (
    <tr>
      <th scope="col">{label}</th>
      {result.columns.map((c) => (
        <th key={c} scope="col" className={masked.has(c) ? "masked" : undefined}>
          {c}
          {masked.has(c) ? <span className="visually-hidden"> (masked)</span> : null}
        </th>
      ))}
    </tr>
  );
  return (
    <div data-testid="masking-preview">
      {result.problems.length > 0 ? (
        <ul className="problem" aria-label="Rule problems">
          {result.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {result.before.length === 0 ? (
        <p className="muted">The table has no rows to show.</p>
      ) : (
        <table className="table compact" aria-label="Masking preview">
          <thead>{head("Row")}</thead>
          <tbody>
            {result.before.map((row, r) => (
              <PreviewRows key={r} n={r + 1} columns={result.columns} before={row} after={result.after[r] ?? []} masked={masked} cell={cell} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PreviewRows(props: { n: number; columns: string[]; before: unknown[]; after: unknown[]; masked: Set<string>; cell: (value: unknown) => ReactNode }) {
  const line = (label: string, values: unknown[], which: "before" | "after") => (
    <tr data-testid={`preview-${which}-${props.n}`}>
      <th scope="row">{label}</th>
      {props.columns.map((c, i) => (
        <td key={c} className={props.masked.has(c) ? "masked" : undefined} data-column={c}>
          {props.cell(values[i])}
        </td>
      ))}
    </tr>
  );
  return (
    <>
      {line(`${props.n} before`, props.before, "before")}
      {line(`${props.n} after`, props.after, "after")}
    </>
  );
}
