"use client";
import { useId } from "react";
import type { FieldErrors as FormErrors, Resolver } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { nestErrors, useApiForm } from "@/lib/api-client/use-api-form";
import { STORE_KIND_LABELS, STORE_KINDS } from "@/lib/data/schemas";
import { useInspectDataSource } from "@/components/data-sources/use-data-sources";
import { checkCopyDraft, type CopyDraft, copyFieldOf, notReadyToCopyFrom, protectedCopyWords, protectedSourceHint, tableList, toCopyInput, toggleTable } from "./copy-data-draft";
import { useEnvironmentData, useStartDataCopy } from "./use-environment-data";

type Kind = (typeof STORE_KINDS)[number];

export interface CopySourceOption {
  id: string;
  name: string;
  kind: Kind;
  protected: boolean;
  description: string;
}

export interface CopyEnvironmentOption {
  id: string;
  name: string;
  kinds: Kind[];
}

/**
 * Copies a data source or another environment's store into this environment's store of one
 * kind, which is emptied first: confirmed by typing the environment's name. Protected sources
 * (production) are masked and need the lead role; they are offered but disabled without it.
 */
export function CopyDataForm(props: {
  environment: { id: string; name: string };
  kinds: Kind[];
  sources: CopySourceOption[];
  environments: CopyEnvironmentOption[];
  mayCopyProtected: boolean;
  onStarted: () => void;
  onCancel: () => void;
}) {
  const { environment } = props;
  const id = useId();
  const start = useStartDataCopy(environment.id);
  const resolver: Resolver<CopyDraft> = async (values) => {
    const found = checkCopyDraft(values, environment.name);
    return Object.keys(found).length === 0 ? { values, errors: {} } : { values: {}, errors: nestErrors(found) as FormErrors<CopyDraft> };
  };
  const form = useApiForm<CopyDraft>({ resolver, defaultValues: { kind: props.kinds[0] ?? "mysql", source: "", tables: "", rowFilters: {}, pattern: "", confirm: "" } });
  const kind = form.watch("kind");
  const source = form.watch("source");
  const tables = tableList(form.watch("tables"));
  const sources = props.sources.filter((s) => s.kind === kind);
  const environments = props.environments.filter((e) => e.kinds.includes(kind));
  const chosen = props.sources.find((s) => `source:${s.id}` === source);
  const label = STORE_KIND_LABELS[kind];
  // A MySQL source's tables and unmasked personal columns; a refusal (a protected source, not a lead) shows nothing.
  const inspect = useInspectDataSource(chosen?.kind === "mysql" && kind === "mysql" ? chosen.id : null);
  const inspected = inspect.isSuccess && inspect.data.problem === null ? inspect.data : null;
  const personal = inspected?.unmaskedPersonal ?? [];
  // The environment list cannot tell whose stores are ready: only the one chosen is asked.
  const chosenEnvironment = props.environments.find((e) => `env:${e.id}` === source) ?? null;
  const fromData = useEnvironmentData(chosenEnvironment?.id ?? "", { enabled: chosenEnvironment !== null });
  const notReady = chosenEnvironment && fromData.isSuccess ? notReadyToCopyFrom(fromData.data.stores, kind, chosenEnvironment.name) : null;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await start.mutateAsync(toCopyInput(values));
      props.onStarted();
    } catch (error) {
      form.showServerError(error, copyFieldOf);
    }
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Copy data">
      <h3>Copy data into {environment.name}</h3>
      {form.formMessage ? (
        <div role="alert" className="alert">
          {form.formMessage}
        </div>
      ) : null}
      <Field label="Store" id={`${id}-kind`} errors={form.messages("kind")}>
        <select id={`${id}-kind`} {...form.register("kind", { onChange: () => form.setValue("source", "") })}>
          {props.kinds.map((k) => (
            <option key={k} value={k}>
              {STORE_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Copy from"
        id={`${id}-source`}
        errors={form.messages("source") ?? (notReady ? [notReady] : undefined)}
        hint={chosen?.protected ? protectedSourceHint(chosen) : chosen?.description || (chosenEnvironment && fromData.isPending ? `Looking at ${chosenEnvironment.name}'s stores…` : undefined)}
      >
        <select id={`${id}-source`} {...form.register("source", { onChange: () => form.setValue("tables", "") })}>
          <option value="">Choose…</option>
          {sources.length > 0 ? (
            <optgroup label="Data sources">
              {sources.map((s) => (
                <option key={s.id} value={`source:${s.id}`} disabled={s.protected && !props.mayCopyProtected}>
                  {s.name}
                  {s.protected ? ` — protected: ${protectedCopyWords(s.kind)}${props.mayCopyProtected ? "" : "; needs the lead role"}` : ""}
                </option>
              ))}
            </optgroup>
          ) : null}
          {environments.length > 0 ? (
            <optgroup label="Environments">
              {environments.map((e) => (
                <option key={e.id} value={`env:${e.id}`}>
                  {e.name}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </Field>
      {sources.length === 0 && environments.length === 0 ? <p className="muted">Nothing to copy a {label} store from yet.</p> : null}

      {kind === "mysql" ? (
        <>
          {inspected && inspected.tables.length > 0 ? (
            <fieldset className={`field${form.messagesUnder("tables") ? " invalid" : ""}`} aria-describedby={`${id}-tables-hint`}>
              <legend>Tables</legend>
              <div className="table-choices">
                {inspected.tables.map((t) => (
                  <label key={t.table}>
                    <input
                      type="checkbox"
                      checked={tables.includes(t.table)}
                      onChange={(e) => form.setValue("tables", toggleTable(form.getValues("tables"), t.table, e.target.checked), { shouldValidate: form.formState.isSubmitted })}
                    />{" "}
                    {t.table} <span className="muted">(about {t.rows.toLocaleString("en")} rows)</span>
                  </label>
                ))}
              </div>
              {form.messagesUnder("tables") ? (
                <p className="field-error" role="alert">
                  {form.messagesUnder("tables")!.join(" ")}
                </p>
              ) : (
                <p className="hint" id={`${id}-tables-hint`}>
                  None chosen copies every table.
                </p>
              )}
            </fieldset>
          ) : (
            <Field
              label="Tables"
              id={`${id}-tables`}
              errors={form.messagesUnder("tables")}
              hint={
                inspect.isLoading
                  ? "Reading the source's tables…"
                  : inspect.data?.problem
                    ? `Comma-separated; blank copies every table. (The source's tables could not be listed: ${inspect.data.problem})`
                    : "Comma-separated; blank copies every table."
              }
            >
              <input id={`${id}-tables`} {...form.register("tables")} placeholder="users, orders" autoComplete="off" />
            </Field>
          )}
          {/* A dotted name would be a path in the form's values; such a table takes no filter here. */}
          {tables.filter((t) => /^[\w$-]+$/.test(t)).map((t) => (
            <Field key={t} label={`Rows of ${t} where`} id={`${id}-filter-${t}`} errors={form.messages(`rowFilters.${t}`)} hint="A WHERE expression, such as created_at > '2024-01-01'; blank: every row.">
              <input id={`${id}-filter-${t}`} {...form.register(`rowFilters.${t}`)} autoComplete="off" />
            </Field>
          ))}
        </>
      ) : null}
      {kind === "redis" ? (
        <Field label="Key pattern" id={`${id}-pattern`} errors={form.messages("pattern")} hint="A glob such as session:*; blank copies every key.">
          <input id={`${id}-pattern`} {...form.register("pattern")} autoComplete="off" />
        </Field>
      ) : null}

      {personal.length > 0 ? (
        <div className="warning" role="note" data-testid="unmasked-personal">
          These columns look personal and have no masking rule; they will be copied as they are:
          <ul>
            {personal.map((p) => (
              <li key={`${p.table}.${p.column}`}>
                <code>
                  {p.table}.{p.column}
                </code>{" "}
                — {p.why}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <Field label={`This replaces ${label} data in ${environment.name}. Type ${environment.name} to confirm.`} id={`${id}-confirm`} errors={form.messages("confirm")}>
        <input id={`${id}-confirm`} {...form.register("confirm")} autoComplete="off" spellCheck={false} />
      </Field>
      <div className="actions">
        <button type="submit" className="button primary" disabled={start.isPending}>
          {start.isPending ? "Starting…" : `Replace ${label} data`}
        </button>{" "}
        <button type="button" className="button link" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
