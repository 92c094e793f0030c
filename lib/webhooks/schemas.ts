import { z } from "zod";
import { line } from "@/lib/input/text";
import { SUBSCRIBABLE_KINDS } from "./event-kinds";

// Input shapes of webhooks; the forms check with the same schemas. Where a URL may point
// (private addresses) is the server's to judge: lib/webhooks/target-address.ts.

/** Why a URL cannot receive webhooks whatever it points at, or null. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, such as https://ci.example.com/hooks/corral.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Only http:// and https:// URLs can receive webhooks.";
  if (url.username || url.password) return "Put no user name or password in the URL: receivers check the signature instead.";
  if (url.hash) return "A URL with a #fragment cannot be posted to; remove it.";
  return null;
}

const url = line(2_000, "URL", "URL is required.")
  .trim()
  .min(1, { error: "URL is required." })
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const events = z
  .array(z.enum(SUBSCRIBABLE_KINDS, { error: `An event is one of ${SUBSCRIBABLE_KINDS.join(", ")}.` }), { error: "Choose at least one event." })
  .min(1, { error: "Choose at least one event." })
  .max(SUBSCRIBABLE_KINDS.length, { error: "Each event once." })
  .transform((list) => [...new Set(list)]);

const description = line(200, "Description").trim();

export const createWebhookSchema = z.object({
  url,
  events,
  // Absent or null: every environment's events (admins only).
  environmentId: z.string({ error: "Choose an environment, or none for every environment." }).min(1).max(64).nullable().optional(),
  description: description.optional().default(""),
});

export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z
  .object({ url: url.optional(), events: events.optional(), description: description.optional(), active: z.boolean({ error: "Active is true or false." }).optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: "Send at least one of url, events, description and active." });

export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

export const listWebhooksQuerySchema = z.object({ environmentId: z.string().min(1).max(64).optional() });

export const listDeliveriesQuerySchema = z.object({
  limit: z.coerce.number({ error: "Limit is a number from 1 to 100." }).int().min(1).max(100, { error: "At most 100." }).default(50),
});
