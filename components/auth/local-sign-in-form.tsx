"use client";
import { useRouter } from "next/navigation";
import { useId } from "react";
import { apiFetch } from "@/lib/api-client/fetcher";
import { useApiForm, zodResolver } from "@/lib/api-client/use-api-form";
import { ROLES } from "@/lib/auth/roles";
import { localSignInSchema } from "@/lib/auth/schemas";

type Values = { name: string; role: (typeof ROLES)[number] };

export function LocalSignInForm({ returnTo }: { returnTo: string }) {
  const router = useRouter();
  const id = useId();
  const form = useApiForm<Values>({ resolver: zodResolver(localSignInSchema, undefined, { raw: true }), defaultValues: { name: "", role: "developer" } });
  const role = form.watch("role");

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await apiFetch("/api/auth/local", { method: "POST", body: JSON.stringify(localSignInSchema.parse(values)) });
      router.replace(returnTo);
      router.refresh();
    } catch (error) {
      form.showServerError(error);
    }
  });

  const nameErrors = form.messages("name");
  const roleErrors = form.messages("role");
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Local sign-in">
      <div className="field">
        <label htmlFor={`${id}-name`}>Your name</label>
        <input id={`${id}-name`} {...form.register("name")} autoComplete="name" />
        {nameErrors ? <p className="field-error" role="alert">{nameErrors.join(" ")}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} {...form.register("role")}>
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
        {roleErrors ? <p className="field-error" role="alert">{roleErrors.join(" ")}</p> : null}
      </div>
      {form.formMessage && !nameErrors && !roleErrors ? <p className="field-error" role="alert">{form.formMessage}</p> : null}
      <button type="submit" className="button primary" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Signing in…" : "Sign in locally"}
      </button>
    </form>
  );
}
