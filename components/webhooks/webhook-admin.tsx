"use client";
import { WebhookManager } from "./webhook-manager";

/** The Webhooks page for admins: those sent for every environment's events, and every environment's own. */
export function WebhookAdmin() {
  return (
    <section>
      <div className="page-head">
        <h1>Webhooks</h1>
      </div>
      <p className="muted">
        Corral POSTs signed JSON to these URLs when environments become Ready, Degraded or Failed, are destroyed or about to expire, and when data copies end. Webhooks
        added here hear of every environment; an environment&apos;s owner adds its own on its page. The README&apos;s Webhooks section shows how a receiver checks the
        signature.
      </p>
      <WebhookManager environmentId={null} suggested={["environment.ready", "environment.failed"]} />
    </section>
  );
}
