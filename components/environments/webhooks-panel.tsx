"use client";
import { useId } from "react";
import { WebhookManager } from "@/components/webhooks/webhook-manager";

/** An environment's own webhooks, for its owner (and leads, admins): what a pipeline waits on. */
export function WebhooksPanel({ environmentId }: { environmentId: string }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} data-testid="webhooks-panel">
      <h2 id={`${id}-title`}>Webhooks</h2>
      <p className="muted">URLs told of this environment&apos;s changes: Ready, Degraded, Failed, Destroyed, expiring soon, a data copy ended.</p>
      <WebhookManager environmentId={environmentId} suggested={["environment.ready", "environment.failed", "environment.destroyed"]} />
    </section>
  );
}
