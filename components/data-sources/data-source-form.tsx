"use client";
import { useId } from "react";
import type { FieldErrors as FormErrors, Resolver } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { nestErrors, useApiForm } from "@/lib/api-client/use-api-form";
import type { DataSourceDto } from "@/lib/data/data-source-dto";
import { dataSourceInputSchema, STORE_KIND_LABELS, STORE_KINDS } from "@/lib/data/schemas";
import { fieldErrors } from "@/lib/http/validation";
import { type DataSourceDraft, emptyDataSourceDraft, toDataSourceDraft, toDataSourceRequest } from "./data-source-draft";
import { useSaveDataSource } from "./use-data-sources";

// The form's values become the API's input before they are checked with the API's own schema,
// so the form and the server say the same things on the same fields.
const resolverFor =
  (editing: boolean): Resolver<DataSourceDraft> =>
  async (values) => {
    const checked = dataSourceInputSchema.safeParse(toDataSourceRequest(values, editing));
    if (checked.success) return { values, errors: {} };
    return { values: {}, errors: nestErrors(fieldErrors(checked.error)) as FormErrors<DataSourceDraft> };
  };

const LABELS = {
  mysql: { username: "User", secret: "Password" },
  redis: { username: "ACL user", secret: "Password" },
  s3: { username: "Access key id", secret: "Secret access key" },
} as const;

/** Adds a data source or edits one; the secret is write-only and never shown again. Keyed by the parent per source. */
export function DataSourceForm(props: { source: DataSourceDto | null; onSaved: (source: DataSourceDto, added: boolean) => void; onCancel: () => void }) {
  const { source } = props;
  const editing = source !== null;
  const id = useId();
  const save = useSaveDataSource();
  const form = useApiForm<DataSourceDraft>({ resolver: resolverFor(editing), defaultValues: source ? toDataSourceDraft(source) : emptyDataSourceDraft() });
  const kind = form.watch("kind");
  const storeHost = form.watch("storeHost");

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const saved = await save.mutateAsync({ id: source?.id ?? null, input: toDataSourceRequest(values, editing) });
      props.onSaved(saved, !editing);
    } catch (error) {
      form.showServerError(error);
    }
  });

  const field = (name: keyof DataSourceDraft) => `${id}-${name}`;
  const text = (name: keyof DataSourceDraft, label: string, extra: { hint?: string; placeholder?: string; inputMode?: "numeric" } = {}) => (
    <Field label={label} id={field(name)} errors={form.messages(name)} hint={extra.hint}>
      <input id={field(name)} {...form.register(name)} placeholder={extra.placeholder} inputMode={extra.inputMode} autoComplete="off" />
    </Field>
  );

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label={editing ? "Edit data source" : "New data source"}>
      <h2>{editing ? `Edit ${source.name}` : "New data source"}</h2>
      {form.formMessage ? (
        <div role="alert" className="alert">
          {form.formMessage}
        </div>
      ) : null}
      {text("name", "Name", { hint: "Lower case, digits and '-', at most 63." })}
      <Field label="Kind" id={field("kind")} errors={form.messages("kind")} hint={editing ? "The kind of a source cannot change; add a new one." : undefined}>
        {/* Editing: the one kind it is (a disabled control would leave the value out of the form's). */}
        <select id={field("kind")} {...form.register("kind")}>
          {(editing ? [source.kind] : STORE_KINDS).map((k) => (
            <option key={k} value={k}>
              {STORE_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </Field>
      {text("description", "Description")}

      <div className="field checks">
        <label>
          <input type="checkbox" role="switch" aria-describedby={`${id}-protected-hint`} {...form.register("protected", { onChange: (e: { target: { checked: boolean } }) => e.target.checked && form.setValue("storeHost", false) })} /> Protected
          (production)
        </label>
        <p className="hint" id={`${id}-protected-hint`}>
          Protected sources are production: use read-only credentials here — Corral only ever reads them, masks what it copies, and never writes to them.
        </p>
      </div>
      <div className={`field checks${form.messages("storeHost") ? " invalid" : ""}`}>
        <label>
          <input
            type="checkbox"
            role="switch"
            aria-describedby={form.messages("storeHost") ? `${id}-store-host-error` : `${id}-store-host-hint`}
            {...form.register("storeHost", { onChange: (e: { target: { checked: boolean } }) => e.target.checked && form.setValue("protected", false) })}
          />{" "}
          Store host
        </label>
        {form.messages("storeHost") ? (
          <p className="field-error" id={`${id}-store-host-error`} role="alert">
            {form.messages("storeHost")!.join(" ")}
          </p>
        ) : (
          <p className="hint" id={`${id}-store-host-hint`}>
            Environments&apos; own {kind === "mysql" ? "databases" : kind === "redis" ? "key prefixes" : "prefixes"} are made here; its credentials may create and drop them.
          </p>
        )}
      </div>

      {kind === "s3" ? (
        <>
          {text("endpoint", "Endpoint", { hint: "Blank for AWS; a URL such as https://minio.internal:9000 otherwise." })}
          {text("region", "Region", { placeholder: "eu-west-1" })}
        </>
      ) : (
        <>
          {text("host", "Host", { placeholder: kind === "mysql" ? "db.internal" : "cache.internal" })}
          {text("port", "Port", { inputMode: "numeric", placeholder: kind === "mysql" ? "3306" : "6379" })}
        </>
      )}
      {text("username", LABELS[kind].username, kind === "redis" ? { hint: "Blank for the default user." } : {})}
      <Field
        label={LABELS[kind].secret}
        id={field("secret")}
        errors={form.messages("secret")}
        hint={editing ? (source.hasSecret ? "Leave blank to keep the stored one." : "None is stored; leave blank for none.") : "Stored encrypted; never shown again."}
      >
        <input id={field("secret")} type="password" {...form.register("secret")} autoComplete="new-password" />
      </Field>
      {editing && source.hasSecret ? (
        <div className="field checks">
          <label>
            <input type="checkbox" {...form.register("clearSecret")} /> Remove the stored {LABELS[kind].secret.toLowerCase()}
          </label>
        </div>
      ) : null}
      {kind === "mysql" ? text("database", "Database", { hint: storeHost ? "Not needed for a store host." : "The database to copy from." }) : null}
      {kind === "redis" ? text("redisDb", "Database number", { inputMode: "numeric", placeholder: "0" }) : null}
      {kind === "s3" ? text("bucket", "Bucket") : null}
      {kind === "redis" ? text("prefix", "Key prefix", { hint: "Only keys starting with it; blank for all." }) : null}
      {kind === "s3" ? text("prefix", "Prefix", { hint: "Ends with /, such as exports/; blank for the whole bucket." }) : null}
      {kind === "s3" ? null : (
        <div className="field checks">
          <label>
            <input type="checkbox" {...form.register("tls")} /> Connect with TLS
          </label>
        </div>
      )}

      <div className="actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : editing ? "Save data source" : "Add data source"}
        </button>{" "}
        {editing ? (
          <button type="button" className="button link" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
