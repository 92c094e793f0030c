"use client";
import { useId } from "react";
import { Field } from "@/components/ui/field";
import { useApiForm, zodResolver } from "@/lib/api-client/use-api-form";
import { EVENT_KINDS, SUBSCRIBABLE_KINDS, type EventKind } from "@/lib/webhooks/event-kinds";
import { createWebhookSchema } from "@/lib/webhooks/schemas";
import { type CreatedWebhook, useCreateWebhook, type WebhookRequest } from "./use-webhooks";

/** Subscribes a URL to events of one environment, or (null) of every environment. */
export function WebhookForm(props: { environmentId: string | null; suggested: EventKind[]; onCreated: (created: CreatedWebhook) => void }) {
  const id = useId();
  const create = useCreateWebhook();
  const form = useApiForm<WebhookRequest>({
    resolver: zodResolver(createWebhookSchema, undefined, { raw: true }),
    defaultValues: { url: "", description: "", events: props.suggested, environmentId: props.environmentId },
  });
  const events = form.watch("events");

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      props.onCreated(await create.mutateAsync({ ...values, environmentId: props.environmentId }));
      form.reset({ url: "", description: "", events: props.suggested, environmentId: props.environmentId });
    } catch (error) {
      form.showServerError(error);
    }
  });

  const toggle = (kind: EventKind) =>
    form.setValue("events", events.includes(kind) ? events.filter((k) => k !== kind) : [...events, kind], { shouldValidate: form.formState.isSubmitted });
  const eventErrors = form.messagesUnder("events");

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="New webhook">
      <h3>New webhook</h3>
      {form.formMessage ? (
        <div role="alert" className="alert">
          {form.formMessage}
        </div>
      ) : null}
      <Field label="URL" id={`${id}-url`} errors={form.messages("url")} hint="Corral POSTs each event here as signed JSON.">
        <input id={`${id}-url`} {...form.register("url")} placeholder="https://ci.example.com/hooks/corral" autoComplete="off" inputMode="url" />
      </Field>
      <Field label="Description" id={`${id}-description`} errors={form.messages("description")}>
        <input id={`${id}-description`} {...form.register("description")} placeholder="Jenkins: run the suite when Ready" autoComplete="off" />
      </Field>
      <fieldset className={`field${eventErrors ? " invalid" : ""}`}>
        <legend>Events</legend>
        <div className="checks">
          {SUBSCRIBABLE_KINDS.map((kind) => (
            <label key={kind} title={EVENT_KINDS[kind].description}>
              <input type="checkbox" checked={events.includes(kind)} onChange={() => toggle(kind)} /> <code>{kind}</code>
            </label>
          ))}
        </div>
        {eventErrors ? (
          <p className="field-error" role="alert">
            {eventErrors.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add webhook"}
        </button>
      </div>
    </form>
  );
}
