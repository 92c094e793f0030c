"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import type { TemplateDto } from "@/lib/templates/template-dto";
import { useTemplates } from "./use-templates";

/**
 * Every template with what an environment made from it gets: components, default versions,
 * resources, time to live and quota. Read-only; admins get `actions` (edit, delete) per template.
 */
export function TemplateCatalogue({ actions }: { actions?: (template: TemplateDto) => ReactNode }) {
  const templates = useTemplates();
  if (templates.isError) return <ErrorMessage error={templates.error} />;
  if (templates.isPending) return <p className="muted">Loading…</p>;
  if (templates.data.items.length === 0) return <p className="empty">No templates yet.</p>;
  return (
    <div className="template-list">
      {templates.data.items.map((t) => (
        <article key={t.id} className="template-card" data-testid={`template-${t.name}`} aria-labelledby={`template-${t.id}-name`}>
          <div className="page-head">
            <h2 id={`template-${t.id}-name`}>{t.name}</h2>
            <div className="actions-bar">
              <Link className="button primary" href={`/environments/new?template=${encodeURIComponent(t.id)}`} aria-label={`New environment from ${t.name}`}>
                New environment
              </Link>
              {actions?.(t)}
            </div>
          </div>
          {t.description ? <p className="muted">{t.description}</p> : null}
          <p>
            Lives {ttl(t.defaultTtlHours)} unless extended
            {Object.keys(t.quota).length > 0 ? (
              <>
                {" "}
                · quota{" "}
                {Object.entries(t.quota).map(([k, v]) => (
                  <code key={k}>
                    {k}={v}{" "}
                  </code>
                ))}
              </>
            ) : null}
          </p>
          <p data-testid={`template-${t.name}-stores`}>
            Data stores:{" "}
            {t.dataStores.length > 0 ? t.dataStores.map((k) => STORE_NAMES[k]).join(", ") : <span className="muted">none</span>}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>Component</th>
                <th>Default version</th>
                <th>Port</th>
                <th>Replicas</th>
                <th>Resources</th>
              </tr>
            </thead>
            <tbody>
              {t.components.map((c) => (
                <tr key={c.id}>
                  <td>
                    <strong>{c.name}</strong>
                    {c.public ? <span className="tag">public</span> : null}
                    {c.persistent ? <span className="tag" title="Keeps running while the environment sleeps">persistent</span> : null}
                    {c.startOrder !== null ? <span className="tag" title="Woken in this order, lowest first">start {c.startOrder}</span> : null}
                  </td>
                  <td>
                    <code>
                      {c.repository}:{c.defaultTag}
                    </code>
                  </td>
                  <td>{c.port ?? <span className="muted">—</span>}</td>
                  <td>{c.replicas}</td>
                  <td className="muted">{resourcesText(c.resources)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
    </div>
  );
}

const STORE_NAMES = { mysql: "MySQL database", redis: "Redis prefix", s3: "S3 prefix" } as const;

function ttl(hours: number): string {
  return hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? "" : "s"}` : `${hours} hour${hours === 1 ? "" : "s"}`;
}

function resourcesText(r: TemplateDto["components"][number]["resources"]): string {
  const part = (kind: "cpu" | "memory", name: string) => {
    const req = r.requests?.[kind];
    const lim = r.limits?.[kind];
    if (!req && !lim) return null;
    return `${name} ${req ?? "—"}${lim ? ` (at most ${lim})` : ""}`;
  };
  return [part("cpu", "CPU"), part("memory", "memory")].filter(Boolean).join(", ") || "cluster defaults";
}
