"use client";
import { useId, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import { useApiForm, zodResolver } from "@/lib/api-client/use-api-form";
import { type LifecycleSettingsInput, lifecycleSettingsSchema } from "@/lib/lifecycle/schemas";
import { type LifecycleSettingsDto, useLifecycleSettings, useSaveLifecycleSettings, useTestWebhook } from "./use-lifecycle-settings";

/** The admin's settings page: time to live, warnings, sleep, prices and the notification webhook. */
export function LifecycleSettings() {
  const settings = useLifecycleSettings();
  return (
    <section>
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      {settings.isError ? <ErrorMessage error={settings.error} /> : null}
      {settings.isPending ? <p className="muted">Loading…</p> : null}
      {settings.data ? <LifecycleSettingsForm settings={settings.data} /> : null}
    </section>
  );
}

// The webhook's URL is write-only: the form holds a new one, "" to remove it, or nothing to keep it.
type WebhookChange = "keep" | "replace" | "remove";

const hours = (v: unknown) => (v === "" ? Number.NaN : Number(v));
const hoursOrNever = (v: unknown) => (v === "" || v === null ? null : Number(v));
const price = (v: unknown) => (typeof v === "string" && v.trim() === "" ? Number.NaN : Number(v));

function LifecycleSettingsForm({ settings }: { settings: LifecycleSettingsDto }) {
  const id = useId();
  const save = useSaveLifecycleSettings();
  const test = useTestWebhook();
  const [saved, setSaved] = useState(false);
  const [webhook, setWebhook] = useState<WebhookChange>("keep");
  const form = useApiForm<LifecycleSettingsInput>({ resolver: zodResolver(lifecycleSettingsSchema, undefined, { raw: true }), defaultValues: toValues(settings) });

  const onSubmit = form.handleSubmit(async (values) => {
    setSaved(false);
    test.reset();
    try {
      const result = await save.mutateAsync(values);
      // From what the server now holds: a new webhook URL is not kept in the form once saved.
      form.reset(toValues(result));
      setWebhook("keep");
      setSaved(true);
    } catch (error) {
      form.showServerError(error);
    }
  });

  const changeWebhook = (next: WebhookChange) => {
    setWebhook(next);
    form.setValue("notifyWebhookUrl", next === "remove" ? "" : undefined);
    form.clearErrors("notifyWebhookUrl");
  };

  const field = (name: keyof LifecycleSettingsInput) => `${id}-${name}`;
  const number = (name: keyof LifecycleSettingsInput, label: string, as: (v: unknown) => number | null, hint: string, inputMode: "numeric" | "decimal" = "numeric") => (
    <Field label={label} id={field(name)} errors={form.messages(name)} hint={hint}>
      <input id={field(name)} inputMode={inputMode} autoComplete="off" {...form.register(name, { setValueAs: as })} />
    </Field>
  );

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Lifecycle settings">
      {form.formMessage ? (
        <div role="alert" className="alert">
          {form.formMessage}
        </div>
      ) : null}
      {saved ? (
        <p role="status" className="token-once">
          Settings saved.
        </p>
      ) : null}

      <h2>Time to live</h2>
      {number("maxTtlHours", "Longest time to live (hours)", hours, "The furthest an owner may extend an environment's expiry, from now.")}
      {number("warnBeforeHours", "Warn before expiry (hours)", hours, "The owner is told once per expiry, in the portal and on the webhook.")}

      <h2>Sleep</h2>
      {number("idleSleepHours", "Sleep after idle (hours)", hoursOrNever, "Without deploys, log views, API use or visits for this long, an environment is scaled to zero. Empty: never.")}
      {number("asleepDestroyHours", "Destroy after asleep (hours)", hoursOrNever, "An environment asleep this long is destroyed. Empty: never.")}

      <h2>Cost</h2>
      {number("cpuHourPrice", "Price of a CPU-hour", price, "For every requested core while it runs.", "decimal")}
      {number("memoryGibHourPrice", "Price of a GiB-hour", price, "For every requested GiB of memory while it runs.", "decimal")}
      <Field label="Currency" id={field("currency")} errors={form.messages("currency")} hint="A three-letter code such as USD or EUR.">
        <input id={field("currency")} autoComplete="off" maxLength={3} {...form.register("currency", { setValueAs: (v: unknown) => (typeof v === "string" ? v.trim().toUpperCase() : v) })} />
      </Field>

      <h2>Notifications</h2>
      <div className={`field${form.messages("notifyWebhookUrl") ? " invalid" : ""}`}>
        <span className="label-like">
          Slack-compatible webhook
        </span>
        {settings.notifyWebhookSet && webhook === "keep" ? (
          <p data-testid="webhook-state">
            <span className="badge badge-ready">Set</span> <span className="muted">Its URL is not shown again.</span>{" "}
            <button type="button" className="button link" onClick={() => changeWebhook("replace")}>
              Replace
            </button>
            <button type="button" className="button link" onClick={() => changeWebhook("remove")}>
              Remove
            </button>
          </p>
        ) : null}
        {webhook === "remove" ? (
          <p data-testid="webhook-state">
            The webhook will be removed when you save.{" "}
            <button type="button" className="button link" onClick={() => changeWebhook("keep")}>
              Keep it
            </button>
          </p>
        ) : null}
        {webhook === "replace" || (!settings.notifyWebhookSet && webhook === "keep") ? (
          <>
            <label htmlFor={field("notifyWebhookUrl")} className="visually-hidden">
              {settings.notifyWebhookSet ? "New webhook URL" : "Webhook URL"}
            </label>
            <input
              id={field("notifyWebhookUrl")}
              type="url"
              autoComplete="off"
              placeholder="https://hooks.slack.com/services/…"
              aria-invalid={form.messages("notifyWebhookUrl") ? true : undefined}
              aria-describedby={form.messages("notifyWebhookUrl") ? `${id}-webhook-error` : `${id}-webhook-hint`}
              // Empty: no change (remove one with Remove).
              {...form.register("notifyWebhookUrl", { setValueAs: (v: unknown) => (v === "" ? undefined : v) })}
            />
            {form.messages("notifyWebhookUrl") ? (
              <p className="field-error" role="alert" id={`${id}-webhook-error`}>
                {form.messages("notifyWebhookUrl")!.join(" ")}
              </p>
            ) : (
              <p className="hint" id={`${id}-webhook-hint`}>
                Expiry warnings are posted here. Stored encrypted and never shown again.
                {webhook === "replace" ? (
                  <>
                    {" "}
                    <button type="button" className="button link" onClick={() => changeWebhook("keep")}>
                      Keep the current one
                    </button>
                  </>
                ) : null}
              </p>
            )}
          </>
        ) : null}
      </div>

      <div className="actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </button>{" "}
        <button
          type="button"
          className="button"
          disabled={!settings.notifyWebhookSet || webhook !== "keep" || test.isPending}
          title={settings.notifyWebhookSet ? (webhook !== "keep" ? "Save the change first." : undefined) : "Save a webhook first."}
          onClick={() => {
            setSaved(false);
            test.mutate();
          }}
        >
          {test.isPending ? "Sending…" : "Send test"}
        </button>
      </div>
      {test.data ? (
        <p role="status" className={test.data.ok ? "token-once" : "alert"} data-testid="webhook-test">
          {test.data.message}
        </p>
      ) : null}
      {test.isError ? <ErrorMessage error={test.error} /> : null}
      {settings.updatedBy ? (
        <p className="muted">
          Last changed by {settings.updatedBy} <RelativeTime iso={settings.updatedAt} />.
        </p>
      ) : null}
    </form>
  );
}

function toValues(s: LifecycleSettingsDto): LifecycleSettingsInput {
  return {
    maxTtlHours: s.maxTtlHours,
    warnBeforeHours: s.warnBeforeHours,
    idleSleepHours: s.idleSleepHours,
    asleepDestroyHours: s.asleepDestroyHours,
    cpuHourPrice: s.cpuHourPrice,
    memoryGibHourPrice: s.memoryGibHourPrice,
    currency: s.currency,
    notifyWebhookUrl: undefined,
  };
}
