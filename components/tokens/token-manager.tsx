"use client";
import { useState, type FormEvent } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { type FieldErrors, formErrors } from "@/lib/api-client/fetcher";
import type { Permission } from "@/lib/auth/permissions";
import { useMe } from "@/components/auth/use-me";
import { type CreatedToken, useCreateToken, useRevokeToken, useTokens } from "./use-tokens";

const EXPIRY_DAYS = [7, 30, 90, 365];

export function TokenManager() {
  const me = useMe();
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Permission[]>(["environments:read", "environments:create"]);
  const [days, setDays] = useState(30);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<CreatedToken | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    try {
      setCreated(await create.mutateAsync({ name, scopes, expiresInDays: days }));
      setName("");
    } catch (error) {
      setErrors(formErrors(error));
    }
  }

  const toggle = (scope: Permission) => setScopes((s) => (s.includes(scope) ? s.filter((x) => x !== scope) : [...s, scope]));

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
        {errors._ ? (
          <div role="alert" className="alert">
            {errors._.join(" ")}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input id="token-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="ci-pipeline" />
          {errors.name ? <p className="field-error" role="alert">{errors.name.join(" ")}</p> : null}
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
          {errors.scopes ? <p className="field-error" role="alert">{errors.scopes.join(" ")}</p> : null}
        </fieldset>
        <div className="field">
          <label htmlFor="token-expiry">Expires after</label>
          <select id="token-expiry" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
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
