"use client";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "@/lib/api-client/fetcher";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import { imageSchema, scaleComponentSchema } from "@/lib/environments/schemas";
import { restartedTimes } from "@/lib/environments/restarted-times";
import { ComponentTools } from "./component-tools";

type Component = EnvironmentDetail["components"][number];

export function ComponentRow(props: {
  environment: EnvironmentDetail;
  component: Component;
  canChange: boolean;
  canRestart: boolean;
  canScale: boolean;
  busy: boolean;
  onChangeVersion: (image: string) => Promise<unknown>;
  onRestart: () => Promise<unknown>;
  onScale: (replicas: number) => Promise<unknown>;
}) {
  const { component: c, environment: env } = props;
  const id = useId();
  const gone = env.status === "destroyed";
  const [editing, setEditing] = useState<"version" | "replicas" | null>(null);
  const [image, setImage] = useState(c.image);
  const [replicas, setReplicas] = useState(String(c.replicas));
  const [error, setError] = useState<string | null>(null);
  const o = gone ? null : c.observed;

  async function run(check: () => string | null, act: () => Promise<unknown>, field: string) {
    const problem = check();
    if (problem) return setError(problem);
    try {
      await act();
      setEditing(null);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? (e.details[field]?.join(" ") ?? e.message) : "Something went wrong.");
    }
  }

  function submitVersion(event: FormEvent) {
    event.preventDefault();
    const checked = imageSchema.safeParse(image.trim());
    void run(() => (checked.success ? null : (checked.error.issues[0]?.message ?? "Not a valid image.")), () => props.onChangeVersion(image.trim()), "image");
  }

  function submitReplicas(event: FormEvent) {
    event.preventDefault();
    const checked = scaleComponentSchema.safeParse({ replicas: Number(replicas) });
    void run(() => (checked.success && replicas.trim() !== "" ? null : "Replicas is a whole number from 0 to 20."), () => props.onScale(Number(replicas)), "replicas");
  }

  const cancel = (
    <button type="button" className="button link" onClick={() => setEditing(null)}>
      Cancel
    </button>
  );
  const problem = error ? (
    <p className="field-error" role="alert">
      {error}
    </p>
  ) : null;

  return (
    <>
      <tr data-testid={`component-${c.name}`}>
        <td>
          <strong>{c.name}</strong>
          {c.port ? <span className="muted"> :{c.port}</span> : null}
        </td>
        <td>
          {editing === "version" ? (
            <form onSubmit={submitVersion} className="inline-form">
              <label htmlFor={`${id}-image`} className="visually-hidden">
                New image for {c.name}
              </label>
              <input id={`${id}-image`} value={image} onChange={(e) => setImage(e.target.value)} autoFocus />
              <button type="submit" className="button primary" disabled={props.busy}>
                Roll out
              </button>
              {cancel}
              {problem}
            </form>
          ) : (
            <>
              <code>{c.image}</code>
              {o?.runningImage && o.runningImage !== c.image ? <div className="muted">running {o.runningImage}</div> : null}
              {c.previousImage && !gone ? <div className="muted">previously {c.previousImage}</div> : null}
            </>
          )}
        </td>
        <td>
          {editing === "replicas" ? (
            <form onSubmit={submitReplicas} className="inline-form">
              <label htmlFor={`${id}-replicas`}>Replicas of {c.name}</label>
              <input id={`${id}-replicas`} inputMode="numeric" size={3} value={replicas} onChange={(e) => setReplicas(e.target.value)} autoFocus />
              <button type="submit" className="button primary" disabled={props.busy}>
                Set
              </button>
              {cancel}
              {problem}
            </form>
          ) : o ? (
            <span title={`${o.updated} updated, ${o.available} available`}>
              {o.ready}/{o.desired}
            </span>
          ) : gone ? (
            <span className="muted">{c.replicas} when it ran</span>
          ) : (
            <span className="muted">—</span>
          )}
          {o?.problem ? <div className={o.failing ? "problem" : "muted"}>{o.problem}</div> : null}
        </td>
        <td className="pods">
          {o?.pods.map((p) => (
            <div key={p.name} title={p.image ?? ""}>
              <Link href={`/environments/${env.id}/logs?component=${c.name}&pod=${p.name}`}>
                <code>{p.name}</code>
              </Link>{" "}
              {p.reason ?? p.phase}
              {p.restarts > 0 ? (
                <>
                  <span className="muted"> · {restartedTimes(p.restarts)} · </span>
                  <Link href={`/environments/${env.id}/logs?component=${c.name}&pod=${p.name}&previous=true`}>previous logs</Link>
                </>
              ) : null}
            </div>
          ))}
        </td>
        <td className="row-actions">
          {gone ? null : (
            <Link className="button" href={`/environments/${env.id}/logs?component=${c.name}`} aria-label={`Logs of ${c.name}`}>
              Logs
            </Link>
          )}
          {props.canChange && editing === null ? (
            <button type="button" className="button" onClick={() => setEditing("version")} aria-label={`Change version of ${c.name}`}>
              Change version
            </button>
          ) : null}
          {props.canScale && editing === null ? (
            <button type="button" className="button" onClick={() => setEditing("replicas")} aria-label={`Change replicas of ${c.name}`}>
              Replicas
            </button>
          ) : null}
          {props.canRestart && editing === null ? (
            <button
              type="button"
              className="button"
              disabled={props.busy}
              aria-label={`Restart ${c.name}`}
              onClick={() => {
                if (window.confirm(`Restart ${c.name}? Every pod is replaced, one at a time.`)) void run(() => null, props.onRestart, "_");
              }}
            >
              Restart
            </button>
          ) : null}
          {editing === null ? problem : null}
        </td>
      </tr>
      {env.mayChange && !gone ? <ComponentTools environment={env} component={c} /> : null}
    </>
  );
}
