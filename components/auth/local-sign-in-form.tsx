"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch, type FieldErrors, formErrors } from "@/lib/api-client/fetcher";
import { ROLES } from "@/lib/auth/roles";

export function LocalSignInForm({ returnTo }: { returnTo: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [role, setRole] = useState<(typeof ROLES)[number]>("developer");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await apiFetch("/api/auth/local", { method: "POST", body: JSON.stringify({ name, role }) });
      router.replace(returnTo);
      router.refresh();
    } catch (error) {
      setErrors(formErrors(error));
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Local sign-in">
      <div className="field">
        <label htmlFor="local-name">Your name</label>
        <input id="local-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        {errors.name ? <p className="field-error" role="alert">{errors.name.join(" ")}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="local-role">Role</label>
        <select id="local-role" value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        {role === "admin" ? (
          <p className="field-hint warning" role="note">
            An admin changes templates and clusters and may destroy anyone&apos;s environment. A name keeps the role it first signs in with.
          </p>
        ) : null}
        {errors.role ? <p className="field-error" role="alert">{errors.role.join(" ")}</p> : null}
      </div>
      {errors._ && !errors.name && !errors.role ? <p className="field-error" role="alert">{errors._.join(" ")}</p> : null}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in locally"}
      </button>
    </form>
  );
}
