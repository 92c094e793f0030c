"use client";
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "@/lib/api-client/fetcher";
import { useUsers } from "./use-environments";

/** Hands the environment to another person who has signed in, by e-mail. */
export function HandOver({ onHandOver, busy }: { onHandOver: (owner: string) => Promise<unknown>; busy: boolean }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [owner, setOwner] = useState("");
  const [error, setError] = useState<string | null>(null);
  const people = useUsers(open ? owner.trim() : "");

  if (!open) {
    return (
      <button type="button" className="button link" onClick={() => setOpen(true)}>
        Hand over
      </button>
    );
  }
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (owner.trim() === "") return setError("Name the new owner by e-mail.");
    try {
      await onHandOver(owner.trim());
      setOpen(false);
      setOwner("");
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? (e.details.owner?.join(" ") ?? e.message) : "Something went wrong.");
    }
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Hand over">
      <label htmlFor={`${id}-owner`}>New owner</label>
      <input id={`${id}-owner`} aria-describedby={error ? `${id}-error` : undefined} list={`${id}-people`} value={owner} onChange={(e) => setOwner(e.target.value)} placeholder="name@example.com" autoFocus />
      <datalist id={`${id}-people`}>
        {people.data?.items.map((p) => (
          <option key={p.id} value={p.email}>
            {p.name}
          </option>
        ))}
      </datalist>
      <button type="submit" className="button primary" disabled={busy}>
        Hand over
      </button>
      <button type="button" className="button link" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error ? (
        <p className="field-error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
