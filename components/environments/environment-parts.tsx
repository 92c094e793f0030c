"use client";
import { useId, useState, type FormEvent } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { ApiError } from "@/lib/api-client/fetcher";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import { useKubeEvents, useUsers } from "./use-environments";

/** What a destroyed environment's page says instead of what it could do: when, by whom or what, and why. */
export function EnvironmentGone({ env }: { env: EnvironmentDetail }) {
  return (
    <div className="gone" role="status" data-testid="destroyed">
      Destroyed {env.destroyedAt ? <RelativeTime iso={env.destroyedAt} /> : null}
      {env.destroyedBy ? <> by {env.destroyedBy}</> : null}
      {env.destroyReason ? <>: {env.destroyReason}</> : null}. Its namespace and everything in it are gone; its history stays below.
    </div>
  );
}

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

/** The namespace's Kubernetes events, newest last seen first, with how often and since when. */
export function KubeEvents({ id }: { id: string }) {
  const events = useKubeEvents(id);
  return (
    <>
      <h2>Kubernetes events</h2>
      {events.isError ? <ErrorMessage error={events.error} /> : null}
      {events.data && events.data.items.length > 0 ? (
        <table className="table kube-events">
          <thead>
            <tr>
              <th>Last seen</th>
              <th>Reason</th>
              <th>Object</th>
              <th>Message</th>
              <th>Count</th>
            </tr>
          </thead>
          <tbody>
            {events.data.items.map((e, i) => (
              <tr key={`${e.lastSeen}-${e.object}-${e.reason}-${i}`} className={e.type === "Warning" ? "warning" : undefined}>
                <td>
                  <RelativeTime iso={e.lastSeen} />
                </td>
                <td>{e.reason}</td>
                <td>
                  <code>{e.object}</code>
                </td>
                <td>{e.message}</td>
                <td>
                  {e.count > 1 ? (
                    <>
                      ×{e.count}
                      <div className="muted">
                        since <RelativeTime iso={e.firstSeen} />
                      </div>
                    </>
                  ) : (
                    "once"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{events.isPending ? "Loading…" : "No events."}</p>
      )}
    </>
  );
}
