"use client";
import { useId, useState } from "react";
import { RelativeTime, useNow } from "@/components/ui/relative-time";
import type { EnvironmentDetail } from "@/lib/environments/get-environment-or-throw";
import type { EnvironmentActionRequest } from "./use-environments";

const EXTENSIONS = [
  { hours: 24, label: "+1 day" },
  { hours: 72, label: "+3 days" },
  { hours: 168, label: "+1 week" },
];

/**
 * When the environment expires and what it has cost, with the owner's Extend, a lead's Pin, and
 * Sleep/Wake: exactly the actions the server offers this viewer.
 */
export function LifecyclePanel({ env, busy, act }: { env: EnvironmentDetail; busy: boolean; act: (a: EnvironmentActionRequest) => Promise<unknown> }) {
  const untilId = useId();
  const [until, setUntil] = useState("");
  const now = useNow();
  const offer = (a: string) => env.actions.find((o) => o.action === a);
  const extend = offer("extend");
  const pin = offer("pin");
  const lc = env.lifecycle;
  const expiresAt = env.expiresAt ? new Date(env.expiresAt) : null;
  const soon = expiresAt !== null && expiresAt.getTime() - now < lc.warnBeforeHours * 3_600_000;
  const latest = new Date(lc.extendUntil).getTime();
  const money = (n: number) => new Intl.NumberFormat("en", { style: "currency", currency: lc.currency }).format(n);

  return (
    <section className="lifecycle" aria-labelledby={`${untilId}-h`}>
      <h2 id={`${untilId}-h`}>Time to live and cost</h2>
      {soon && extend?.allowed ? (
        <p className="banner warning" role="alert" data-testid="expiry-warning">
          Expires <RelativeTime iso={env.expiresAt} />. Extend it if you still need it.
        </p>
      ) : null}
      {env.status === "sleeping" ? (
        <p className="banner info" role="status" data-testid="sleeping-banner">
          Asleep since <RelativeTime iso={env.asleepSince} />: its components are scaled to zero{env.components.some((c) => c.persistent) ? " (persistent ones stay up)" : ""}. Opening one of its addresses, or Wake, brings it back.
        </p>
      ) : null}
      <dl className="facts">
        <dt>Expires</dt>
        <dd data-testid="expires">
          {env.pinnedBy ? (
            <span>
              never: pinned by {env.pinnedBy}
            </span>
          ) : (
            <RelativeTime iso={env.expiresAt} />
          )}
        </dd>
        <dt>Last activity</dt>
        <dd>
          <RelativeTime iso={env.lastActivityAt} />
          {env.lastActivityKind ? <span className="muted"> ({env.lastActivityKind})</span> : null}
          {lc.idleSleepHours !== null && env.status !== "sleeping" ? <span className="muted"> · sleeps after {lc.idleSleepHours} h without activity</span> : null}
        </dd>
        <dt>Cost so far</dt>
        <dd data-testid="cost">
          {money(lc.cost)} <span className="muted">({lc.requests.cpu} CPU, {lc.requests.memoryGib} GiB requested now; awake {lc.awakeHours} h)</span>
          {lc.saved > 0 ? <span> · sleep saved {money(lc.saved)}</span> : null}
        </dd>
      </dl>
      <div className="actions-bar">
        {extend?.allowed
          ? EXTENSIONS.filter((e) => Math.max(expiresAt?.getTime() ?? 0, now) + e.hours * 3_600_000 <= latest + 60_000).map((e) => (
              <button key={e.hours} className="button" disabled={busy} onClick={() => void act({ kind: "extend", hours: e.hours }).catch(() => {})}>
                Extend {e.label}
              </button>
            ))
          : null}
        {extend?.allowed ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (until) void act({ kind: "extend", until: new Date(until).toISOString() }).catch(() => {});
            }}
          >
            <label htmlFor={untilId}>Expire at</label>{" "}
            <input id={untilId} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} max={lc.extendUntil.slice(0, 16)} />{" "}
            <button className="button" type="submit" disabled={busy || !until}>
              Set
            </button>
          </form>
        ) : null}
        {pin?.allowed ? (
          env.pinnedBy ? (
            <button className="button" disabled={busy} onClick={() => void act({ kind: "unpin" }).catch(() => {})}>
              Unpin
            </button>
          ) : (
            <button className="button" disabled={busy} onClick={() => void act({ kind: "pin" }).catch(() => {})} title="A pinned environment never expires and is never destroyed for sleeping.">
              Pin (no expiry)
            </button>
          )
        ) : null}
        {offer("sleep")?.allowed ? (
          <button className="button" disabled={busy} onClick={() => void act({ kind: "sleep" }).catch(() => {})}>
            Sleep now
          </button>
        ) : null}
        {offer("wake")?.allowed ? (
          <button className="button primary" disabled={busy} onClick={() => void act({ kind: "wake" }).catch(() => {})}>
            Wake
          </button>
        ) : null}
      </div>
    </section>
  );
}
