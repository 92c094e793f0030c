"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { ComponentRow } from "./component-row";
import { CleanupSteps, JobHistory } from "./environment-work";
import { StatusBadge } from "./status-badge";
import { useEnvironmentChanges } from "./use-environment-changes";
import { EnvironmentGone as Gone } from "./environment-gone";
import { HandOver } from "./hand-over-form";
import { KubeEvents } from "./kube-events";
import { HostnamesPanel } from "./hostnames-panel";
import { DataPanel } from "./data-panel";
import { LifecyclePanel } from "./lifecycle-panel";
import { WebhooksPanel } from "./webhooks-panel";
import { useEnvironment, useEnvironmentAction } from "./use-environments";
import type { EnvironmentAction } from "@/lib/environments/state-machine";
import type { EnvironmentDetail as Detail } from "@/lib/environments/get-environment-or-throw";

const ACTION_NAMES: Record<EnvironmentAction, string> = {
  update: "Change version",
  rollback: "Roll back",
  upgrade: "Use the template's versions",
  retry: "Retry",
  destroy: "Destroy",
  restart: "Restart",
  scale: "Replicas",
  "hand-over": "Hand over",
  hostnames: "Hostnames",
  sleep: "Sleep",
  wake: "Wake",
  extend: "Extend",
  pin: "Pin",
};

/** Why the actions this viewer might expect are not offered: the owner rule, a token's scope. */
function NotAllowedReasons({ actions }: { actions: Detail["actions"] }) {
  const forbidden = actions.filter((a) => !a.allowed && a.reason && /owner|role|scope/.test(a.reason));
  if (forbidden.length === 0) return null;
  const reasons = [...new Set(forbidden.map((a) => a.reason))];
  return (
    <p className="muted" data-testid="not-allowed">
      {forbidden.map((a) => ACTION_NAMES[a.action]).join(", ")}: {reasons.join(" ")}
    </p>
  );
}

export function EnvironmentDetail({ id }: { id: string }) {
  const query = useEnvironment(id);
  const action = useEnvironmentAction(id);
  const router = useRouter();
  useEnvironmentChanges(id);

  if (query.isPending) return <p className="muted">Loading…</p>;
  if (query.isError) {
    return (
      <section>
        <p>
          <Link href="/environments">← Environments</Link>
        </p>
        <ErrorMessage error={query.error} />
      </section>
    );
  }
  const env = query.data;
  // What this viewer may do now comes from the server, with the reason when not: nothing is re-derived here.
  const offer = (a: EnvironmentAction) => env.actions.find((o) => o.action === a) ?? { action: a, allowed: false, reason: null };
  const shown = (a: EnvironmentAction) => offer(a).allowed || offer(a).reason !== null;
  const gone = env.status === "destroyed";

  return (
    <section>
      <p>
        <Link href="/environments">← Environments</Link>
      </p>
      <div className="page-head">
        <h1>{env.name}</h1>
        <StatusBadge status={env.status} />
        <div className="actions-bar">
          {offer("retry").allowed ? (
            <button className="button" onClick={() => action.mutate({ kind: "retry" })} disabled={action.isPending}>
              Retry
            </button>
          ) : null}
          {offer("rollback").allowed ? (
            <button className="button" onClick={() => action.mutate({ kind: "rollback" })} disabled={action.isPending}>
              Roll back
            </button>
          ) : null}
          {offer("upgrade").allowed && env.template ? (
            <button className="button" onClick={() => action.mutate({ kind: "upgrade" })} disabled={action.isPending}>
              Use {env.template.name}&apos;s versions
            </button>
          ) : null}
          {env.status !== "destroyed" && env.status !== "destroying" ? (
            <Link className="button" href={`/environments/new?cloneFrom=${env.id}`}>
              Clone
            </Link>
          ) : null}
          {shown("destroy") && !gone && env.status !== "destroying" ? (
            <button
              className="button danger"
              disabled={action.isPending || !offer("destroy").allowed}
              title={offer("destroy").reason ?? undefined}
              onClick={() => {
                const reason = window.prompt(`Destroy ${env.name}? Its namespace and everything in it will be deleted.\n\nWhy (optional, shown on its page):`, "");
                if (reason !== null) action.mutate({ kind: "destroy", reason: reason.trim() || undefined }, { onSuccess: () => router.refresh() });
              }}
            >
              Destroy
            </button>
          ) : null}
        </div>
      </div>
      {gone ? <Gone env={env} /> : <NotAllowedReasons actions={env.actions} />}
      {env.statusReason ? (
        <p className="status-reason" role="status">
          {env.statusReason}
        </p>
      ) : null}
      {action.isError ? <ErrorMessage error={action.error} /> : null}

      <dl className="facts">
        <dt>Owner</dt>
        <dd>
          <span data-testid="owner">
            {env.owner.name} <span className="muted">({env.owner.email})</span>
          </span>{" "}
          {offer("hand-over").allowed ? <HandOver onHandOver={(owner) => action.mutateAsync({ kind: "hand-over", owner })} busy={action.isPending} /> : null}
        </dd>
        <dt>Template</dt>
        <dd>{env.template?.name ?? <span className="muted">none</span>}</dd>
        <dt>Cluster</dt>
        <dd>{env.cluster?.name ?? <span className="muted">not placed yet</span>}</dd>
        <dt>Created</dt>
        <dd>
          <RelativeTime iso={env.createdAt} />
        </dd>
      </dl>

      {gone ? null : <LifecyclePanel env={env} busy={action.isPending} act={(a) => action.mutateAsync(a)} />}

      {gone ? null : (
        <HostnamesPanel
          env={env}
          canChange={offer("hostnames").allowed}
          busy={action.isPending}
          onAdd={(fqdn, component) => action.mutateAsync({ kind: "add-hostname", fqdn, component })}
          onRemove={(hostnameId) => action.mutateAsync({ kind: "remove-hostname", hostnameId })}
        />
      )}

      {gone ? null : <DataPanel env={env} />}

      {!gone && env.mayManageWebhooks ? <WebhooksPanel environmentId={env.id} /> : null}

      <h2>Components</h2>
      <table className="table components-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Image</th>
            <th>{gone ? "Replicas" : "Replicas ready"}</th>
            <th>Pods</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {env.components.map((c) => (
            <ComponentRow
              key={c.id}
              environment={env}
              component={c}
              canChange={offer("update").allowed}
              canRestart={offer("restart").allowed}
              canScale={offer("scale").allowed}
              busy={action.isPending}
              onChangeVersion={(image) => action.mutateAsync({ kind: "change-version", component: c.name, image })}
              onRestart={() => action.mutateAsync({ kind: "restart", component: c.name })}
              onScale={(replicas) => action.mutateAsync({ kind: "scale", component: c.name, replicas })}
            />
          ))}
        </tbody>
      </table>

      <CleanupSteps steps={env.cleanup} />
      <JobHistory environmentId={env.id} jobs={env.jobs} />

      {gone ? null : <KubeEvents id={env.id} />}

      <h2>History</h2>
      <ol className="history">
        {env.history.map((e) => (
          <li key={e.id}>
            <RelativeTime iso={e.createdAt} /> — {e.toStatus ? <StatusBadge status={e.toStatus} /> : null} {e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
