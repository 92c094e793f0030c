"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { type FieldPath, type FieldValues, get, type Resolver, type UseFormProps, type UseFormReturn, useForm } from "react-hook-form";
import { formErrors } from "./fetcher";

// Every form of the portal: react-hook-form, checked before sending with the same zod schema
// the server checks with, and the server's own field messages put on the same fields.

export interface ApiForm<T extends FieldValues> extends UseFormReturn<T> {
  /**
   * Puts a refusal from the API on the form: each field's messages on it, the rest above the
   * form. `fieldOf` turns the API's field path into the form's when the two differ.
   */
  showServerError(error: unknown, fieldOf?: (apiPath: string) => string): void;
  /** The messages of a field (`components.0.image`), from the schema or the server, as Field shows them. */
  messages(path: string): string[] | undefined;
  /** The messages of a field and of everything below it (`components.0.env.KEY`). */
  messagesUnder(path: string): string[] | undefined;
  /** The message about the form as a whole, from the server. */
  formMessage: string | undefined;
}

/** Field messages keyed by path (`components.0.image`), as react-hook-form keeps errors: nested. */
export function nestErrors(flat: Record<string, string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, list] of Object.entries(flat)) {
    const parts = path.split(".");
    let at = out;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    const last = parts.at(-1)!;
    const existing = at[last] as Record<string, unknown> | undefined;
    at[last] = { ...existing, type: "validate", message: list.join(" ") };
  }
  return out;
}

function collectMessages(node: unknown, into: string[]) {
  if (typeof node !== "object" || node === null) return;
  const { message, ...rest } = node as { message?: unknown };
  if (typeof message === "string") into.push(message);
  for (const [key, child] of Object.entries(rest)) if (key !== "ref" && key !== "type") collectMessages(child, into);
}

export function useApiForm<T extends FieldValues>(options: UseFormProps<T> & { resolver: Resolver<T> }): ApiForm<T> {
  const form = useForm<T>({ mode: "onSubmit", reValidateMode: "onChange", ...options });
  const showServerError = (error: unknown, fieldOf = (apiPath: string) => apiPath) => {
    const details = formErrors(error);
    for (const [path, list] of Object.entries(details)) {
      const message = list.join(" ");
      if (path === "_") form.setError("root.server", { type: "server", message });
      else form.setError(fieldOf(path) as FieldPath<T>, { type: "server", message });
    }
  };
  const messages = (path: string) => {
    // A list's own message (at least one component…) sits under `root`.
    const error = get(form.formState.errors, path) as { message?: string; root?: { message?: string } } | undefined;
    const message = error?.message ?? error?.root?.message;
    return message ? [message] : undefined;
  };
  const messagesUnder = (path: string) => {
    const found: string[] = [];
    collectMessages(get(form.formState.errors, path), found);
    return found.length > 0 ? found : undefined;
  };
  return Object.assign(form, { showServerError, messages, messagesUnder, formMessage: form.formState.errors.root?.server?.message });
}

export { zodResolver };
