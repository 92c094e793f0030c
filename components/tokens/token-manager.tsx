"use client";
import { useId, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { useApiForm, zodResolver } from "@/lib/api-client/use-api-form";
import type { Permission } from "@/lib/auth/permissions";
import { type CreateApiTokenInput, createApiTokenSchema } from "@/lib/auth/schemas";
import { useMe } from "@/components/auth/use-me";
import { type CreatedToken, useCreateToken, useRevokeToken, useTokens } from "./use-tokens";

const EXPIRY_DAYS = [7, 30, 90, 365];

export function TokenManager() {
  const me = useMe();
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const id = useId();
  const form = useApiForm<CreateApiTokenInput>({
    resolver: zodResolver(createApiTokenSchema, undefined, { raw: true }),
    defaultValues: { name: "", scopes: ["environments:read", "environments:create"], expiresInDays: 30 },
  });
  const scopes = form.watch("scopes");

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      setCreated(await create.mutateAsync(createApiTokenSchema.parse(values)));
      form.reset({ ...values, name: "" });
    } catch (error) {
      form.showServerError(error);
    }
  });

  const toggle = (scope: Permission) =>
    form.setValue("scopes", scopes.includes(scope) ? scopes.filter((x) => x !== scope) : [...scopes, scope], { shouldValidate: form.formState.isSubmitted });
  const nameErrors = form.messages("name");
  const scopeErrors = form.messages("scopes");

  return (
    <section>
      <div className="page-head">
        <h1>API tokens</h1>
      </div>
      <p className="muted">
        For pipelines: send one as <code>Authorization: Bearer crl_…</code>. A token can do only what its scopes and your role allow.
      </p>

      {created ? (
        <div className="token-once" role="status">
          <p>
            <strong>{created.name}</strong> was created. Copy it now: it will not be shown again.
          </p>
          <code data-testid="new-token">{created.token}</code>
          <p>
            <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(created.token)}>
              Copy
            </button>{" "}
            <button type="button" className="button link" onClick={() => setCreated(null)}>
              Done
            </button>
          </p>
        </div>
      ) : null}

      <form className="form" onSubmit={onSubmit} noValidate aria-label="New API token">
        <h2>New token</h2>
        {form.formMessage ? (
          <div role="alert" className="alert">
            {form.formMessage}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} {...form.register("name")} placeholder="ci-pipeline" />
          {nameErrors ? <p className="field-error" role="alert">{nameErrors.join(" ")}</p> : null}
        </div>
        <fieldset className="field">
          <legend>Scopes</legend>
          <div className="checks">
            {(me.data?.permissions ?? []).map((p) => (
              <label key={p}>
                <input type="checkbox" checked={scopes.includes(p)} onChange={() => toggle(p)} /> {p}
              </label>
            ))}
          </div>
          {scopeErrors ? <p className="field-error" role="alert">{scopeErrors.join(" ")}</p> : null}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-expiry`}>Expires after</label>
          <select id={`${id}-expiry`} {...form.register("expiresInDays", { valueAsNumber: true })}>
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={form.formState.isSubmitting}>
            Create token
          </button>
        </div>
      </form>

      <h2>Your tokens</h2>
      {tokens.isError ? <ErrorMessage error={tokens.error} /> : null}
      {revoke.isError ? <ErrorMessage error={revoke.error} /> : null}
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Token</th>
            <th>Scopes</th>
            <th>Expires</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.data?.items.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td className="images">
                {t.scopes.map((s) => (
                  <code key={s}>{s}</code>
                ))}
              </td>
              <td>
                <RelativeTime iso={t.expiresAt} />
              </td>
              <td>
                <RelativeTime iso={t.lastUsedAt} />
              </td>
              <td>
                {t.revokedAt ? (
                  <span className="badge">Revoked</span>
                ) : (
                  <button type="button" className="button" onClick={() => revoke.mutate(t.id)} aria-label={`Revoke ${t.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
          {tokens.data?.items.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                No tokens yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
