"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ApiError } from "@/lib/api-client/fetcher";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import { imageSchema } from "@/lib/environments/schemas";

type Component = EnvironmentDetail["components"][number];

export function ComponentRow(props: {
  environmentId: string;
  component: Component;
  canChange: boolean;
  busy: boolean;
  onChangeVersion: (image: string) => Promise<unknown>;
}) {
  const { component: c } = props;
  const [editing, setEditing] = useState(false);
  const [image, setImage] = useState(c.image);
  const [error, setError] = useState<string | null>(null);
  const o = c.observed;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = imageSchema.safeParse(image.trim());
    if (!checked.success) return setError(checked.error.issues[0]?.message ?? "Not a valid image.");
    try {
      await props.onChangeVersion(checked.data);
      setEditing(false);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? (e.details.image?.join(" ") ?? e.message) : "Something went wrong.");
    }
  }

  return (
    <tr data-testid={`component-${c.name}`}>
      <td>
        <strong>{c.name}</strong>
        {c.port ? <span className="muted"> :{c.port}</span> : null}
      </td>
      <td>
        {editing ? (
          <form onSubmit={submit} className="inline-form">
            <input aria-label={`New image for ${c.name}`} value={image} onChange={(e) => setImage(e.target.value)} autoFocus />
            <button type="submit" className="button primary" disabled={props.busy}>
              Roll out
            </button>
            <button type="button" className="button link" onClick={() => setEditing(false)}>
              Cancel
            </button>
            {error ? (
              <p className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </form>
        ) : (
          <>
            <code>{c.image}</code>
            {o?.runningImage && o.runningImage !== c.image ? <div className="muted">running {o.runningImage}</div> : null}
            {c.previousImage ? <div className="muted">previously {c.previousImage}</div> : null}
          </>
        )}
      </td>
      <td>
        {o ? (
          <span title={`${o.updated} updated, ${o.available} available`}>
            {o.ready}/{o.desired}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
        {o?.problem ? <div className={o.failing ? "problem" : "muted"}>{o.problem}</div> : null}
      </td>
      <td className="pods">
        {o?.pods.map((p) => (
          <div key={p.name} title={p.image ?? ""}>
            <Link href={`/environments/${props.environmentId}/logs?component=${c.name}&pod=${p.name}`}>
              <code>{p.name}</code>
            </Link>{" "}
            {p.reason ?? p.phase}
            {p.restarts > 0 ? (
              <>
                <span className="muted"> · {p.restarts} restarts · </span>
                <Link href={`/environments/${props.environmentId}/logs?component=${c.name}&pod=${p.name}&previous=true`}>previous logs</Link>
              </>
            ) : null}
          </div>
        ))}
      </td>
      <td className="row-actions">
        <Link className="button" href={`/environments/${props.environmentId}/logs?component=${c.name}`} aria-label={`Logs of ${c.name}`}>
          Logs
        </Link>
        {props.canChange && !editing ? (
          <button type="button" className="button" onClick={() => setEditing(true)} aria-label={`Change version of ${c.name}`}>
            Change version
          </button>
        ) : null}
      </td>
    </tr>
  );
}
