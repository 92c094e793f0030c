"use client";
import Link from "next/link";
import { useId, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import type { EventKind } from "@/lib/webhooks/event-kinds";
import { DeliveryLog } from "./delivery-log";
import { WebhookForm } from "./webhook-form";
import { type CreatedWebhook, useDeleteWebhook, useSendTest, useUpdateWebhook, useWebhooks, type WebhookDto } from "./use-webhooks";

/**
 * Webhooks of one environment, or (environmentId null) every one the viewer manages, with the
 * form that adds one to that scope; the signing secret of one just added is shown here, once.
 */
export function WebhookManager(props: { environmentId: string | null; suggested: EventKind[] }) {
  const webhooks = useWebhooks(props.environmentId);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [adding, setAdding] = useState(false);

  return (
    <>
      {created ? (
        <div className="token-once" role="status">
          <p>
            Webhook to <code>{created.url}</code> added. Its signing secret, to check each delivery&apos;s <code>Corral-Signature</code> with: copy it now, it
            will not be shown again.
          </p>
          <code data-testid="webhook-secret">{created.secret}</code>
          <p>
            <CopyButton text={created.secret} label="Copy the signing secret" />{" "}
            <button type="button" className="button link" onClick={() => setCreated(null)}>
              Done
            </button>
          </p>
        </div>
      ) : null}
      {webhooks.isError ? <ErrorMessage error={webhooks.error} /> : null}
      {webhooks.isPending ? <p className="muted">Loading webhooks…</p> : null}
      {webhooks.data && webhooks.data.items.length === 0 ? <p className="muted">No webhooks yet.</p> : null}
      <ul className="webhooks">
        {webhooks.data?.items.map((w) => (
          <WebhookItem key={w.id} webhook={w} showScope={props.environmentId === null} />
        ))}
      </ul>
      {adding ? (
        <WebhookForm
          environmentId={props.environmentId}
          suggested={props.suggested}
          onCreated={(c) => {
            setCreated(c);
            setAdding(false);
          }}
        />
      ) : (
        <p>
          <button type="button" className="button" onClick={() => setAdding(true)}>
            Add webhook…
          </button>
        </p>
      )}
    </>
  );
}

function WebhookItem({ webhook: w, showScope }: { webhook: WebhookDto; showScope: boolean }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const test = useSendTest(w.id);
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const label = w.description || w.url;

  return (
    <li className="webhook" data-testid="webhook" aria-labelledby={`${id}-url`}>
      <div className="webhook-head">
        <code id={`${id}-url`}>{w.url}</code>
        {w.active ? null : <span className="badge">Paused</span>}
        <div className="row-actions">
          <button
            type="button"
            className="button"
            disabled={test.isPending}
            onClick={() => test.mutate(undefined, { onSuccess: () => setOpen(true) })}
            aria-label={`Send test to ${label}`}
          >
            Send test
          </button>{" "}
          <button type="button" className="button" onClick={() => setOpen(!open)} aria-expanded={open} aria-controls={`${id}-log`}>
            {open ? "Hide deliveries" : "Deliveries"}
          </button>{" "}
          <button type="button" className="button" disabled={update.isPending} onClick={() => update.mutate({ id: w.id, input: { active: !w.active } })} aria-label={`${w.active ? "Pause" : "Resume"} ${label}`}>
            {w.active ? "Pause" : "Resume"}
          </button>{" "}
          <button
            type="button"
            className="button"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Remove the webhook to ${w.url} and its delivery log?`)) remove.mutate(w.id);
            }}
            aria-label={`Remove ${label}`}
          >
            Remove
          </button>
        </div>
      </div>
      {w.description ? <div>{w.description}</div> : null}
      <div className="muted">
        {w.events.map((e, i) => (
          <span key={e}>
            {i > 0 ? ", " : ""}
            <code>{e}</code>
          </span>
        ))}
        {showScope ? (
          <>
            {" — "}
            {w.environment ? (
              <>
                of <Link href={`/environments/${w.environment.id}`}>{w.environment.name}</Link>
              </>
            ) : (
              "of every environment"
            )}
          </>
        ) : null}
        {w.lastDelivery ? (
          <>
            {" — last sent "}
            <RelativeTime iso={w.lastDelivery.createdAt} />
          </>
        ) : null}
      </div>
      {[test, update, remove].map((m, i) => (m.isError ? <ErrorMessage key={i} error={m.error} /> : null))}
      {open ? (
        <div id={`${id}-log`}>
          <DeliveryLog webhookId={w.id} />
        </div>
      ) : null}
    </li>
  );
}
