"use client";
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "@/lib/api-client/fetcher";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import { CopyButton } from "@/components/ui/copy-button";

type Hostname = EnvironmentDetail["hostnames"][number];

const STATE: Record<Hostname["status"], string> = {
  pending: "pending",
  active: "live",
  failed: "failed",
  conflict: "conflict",
  deleting: "being removed",
};

/** One hostname as a link with its state (and why, when not live) and a copy button. */
export function HostnameLink({ hostname: h }: { hostname: Hostname }) {
  return (
    <span className="hostname" data-testid={`hostname-${h.fqdn}`}>
      {/* Only names that point at this environment are links: a conflict's name is someone else's site. */}
      {h.status === "active" || h.status === "pending" ? (
        <a href={h.url} target="_blank" rel="noreferrer">
          {h.url.replace(/\/$/, "")}
        </a>
      ) : (
        <code>{h.fqdn}</code>
      )}{" "}
      <span className={`tag hostname-${h.status}`} title={h.reason ?? undefined}>
        {STATE[h.status]}
      </span>
      <CopyButton text={h.url} label={`Copy ${h.url}`} />
      {h.reason && !h.live ? <span className="muted"> {h.reason}</span> : null}
    </span>
  );
}

/** The environment's names, and for those who may change it, custom ones added and removed. */
export function HostnamesPanel(props: {
  env: EnvironmentDetail;
  canChange: boolean;
  busy: boolean;
  onAdd: (fqdn: string, component: string) => Promise<unknown>;
  onRemove: (hostnameId: string) => Promise<unknown>;
}) {
  const { env } = props;
  const id = useId();
  const routable = env.components.filter((c) => c.port !== null);
  const [fqdn, setFqdn] = useState("");
  const [component, setComponent] = useState(routable[0]?.name ?? "");
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await props.onAdd(fqdn.trim(), component);
      setFqdn("");
      setErrors({});
    } catch (e) {
      setErrors(e instanceof ApiError ? { _: [e.message], ...e.details } : { _: ["Something went wrong."] });
    }
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Hostnames</h2>
      {env.hostnames.length === 0 ? (
        <p className="muted">{routable.some((c) => c.public) ? "Being set up…" : "None: no component is public."}</p>
      ) : (
        <ul className="hostnames">
          {env.hostnames.map((h) => (
            <li key={h.id}>
              <HostnameLink hostname={h} />
              {h.custom && props.canChange ? (
                <button
                  type="button"
                  className="button link"
                  disabled={props.busy}
                  onClick={() => props.onRemove(h.id).then(() => setErrors({}), (e: unknown) => setErrors(e instanceof ApiError ? { _: [e.message] } : { _: ["Something went wrong."] }))}
                  aria-label={`Remove ${h.fqdn}`}
                >
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {props.canChange && routable.length > 0 && env.cluster?.dnsDomain ? (
        <form className="inline-form" onSubmit={submit} aria-label="Add a hostname">
          <label htmlFor={`${id}-fqdn`}>Add a hostname</label>
          <input id={`${id}-fqdn`} value={fqdn} onChange={(e) => setFqdn(e.target.value)} placeholder={`demo.${env.name}.${env.cluster.dnsDomain}`} aria-describedby={Object.keys(errors).length > 0 ? `${id}-error` : undefined} />
          <label htmlFor={`${id}-component`}>to</label>
          <select id={`${id}-component`} value={component} onChange={(e) => setComponent(e.target.value)}>
            {routable.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={props.busy}>
            Add
          </button>
          {Object.keys(errors).length > 0 ? (
            <p className="field-error" role="alert" id={`${id}-error`}>
              {(errors.fqdn ?? errors.component ?? errors._ ?? []).join(" ")}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
