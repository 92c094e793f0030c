import { z } from "zod";
import { line } from "@/lib/input/text";

// Input shapes of expiry, sleep and the lifecycle settings. The forms import these too.

const hours = (what: string, max: number) =>
  z
    .number({ error: `${what} is a number of hours.` })
    .int({ error: `${what} is a whole number of hours.` })
    .min(1, { error: `${what} is at least 1 hour.` })
    .max(max, { error: `${what} is at most ${max} hours.` });

export const extendSchema = z
  .object({
    /** Hours added to the current expiry (or to now, if it already passed). */
    hours: hours("Extend by", 24 * 90).optional(),
    /** Or the moment it should expire. */
    until: z.iso.datetime({ offset: true, error: "A date and time such as 2026-12-01T18:00:00Z." }).optional(),
  })
  .refine((v) => (v.hours === undefined) !== (v.until === undefined), { error: "Give hours or until, not both.", path: ["hours"] });

export type ExtendInput = z.infer<typeof extendSchema>;

export const bulkDestroySchema = z.object({
  ids: z.array(line(100, "Environment id").min(1), { error: "A list of environment ids." }).min(1, { error: "Choose at least one environment." }).max(500, { error: "At most 500 at once." }),
  reason: line(500, "Reason").trim().optional(),
});

export const lifecycleSettingsSchema = z.object({
  maxTtlHours: hours("The longest time to live", 24 * 365),
  warnBeforeHours: hours("The warning", 24 * 30),
  idleSleepHours: hours("Idle time before sleep", 24 * 90).nullable(),
  asleepDestroyHours: hours("Time asleep before destroy", 24 * 365).nullable(),
  cpuHourPrice: z.number({ error: "A price is a number." }).min(0, { error: "A price is not negative." }).max(1000, { error: "At most 1000 a CPU-hour." }),
  memoryGibHourPrice: z.number({ error: "A price is a number." }).min(0, { error: "A price is not negative." }).max(1000, { error: "At most 1000 a GiB-hour." }),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: "A three-letter currency code such as USD or EUR." }),
  /**
   * A Slack-compatible incoming webhook for warnings. Absent: unchanged; "": none. Never
   * returned once saved (its URL is a credential).
   */
  notifyWebhookUrl: z
    .union([z.literal(""), z.url({ protocol: /^https?$/, error: "An http(s) URL such as https://hooks.slack.com/services/…" }).max(2000)])
    .optional(),
});

export type LifecycleSettingsInput = z.infer<typeof lifecycleSettingsSchema>;

export const OVERVIEW_SORTS = ["age", "lastActivity", "expiry", "owner", "cost", "status", "name"] as const;
/** Each sort's first order, what a lead looks for first: oldest, longest idle, soonest expiry, dearest. */
export const OVERVIEW_DEFAULT_ORDER: Record<(typeof OVERVIEW_SORTS)[number], "asc" | "desc"> = { age: "asc", lastActivity: "asc", expiry: "asc", owner: "asc", cost: "desc", status: "asc", name: "asc" };
/** The statuses of live environments: the overview never shows destroyed ones. */
export const OVERVIEW_STATUSES = ["provisioning", "ready", "degraded", "updating", "sleeping", "failed", "destroying"] as const;

export const overviewQuerySchema = z.object({
  sort: z.enum(OVERVIEW_SORTS, { error: `One of ${OVERVIEW_SORTS.join(", ")}.` }).default("lastActivity"),
  order: z.enum(["asc", "desc"], { error: "asc or desc." }).optional(),
  owner: line(200, "Owner").optional(),
  status: z.union([z.enum(OVERVIEW_STATUSES), z.array(z.enum(OVERVIEW_STATUSES))]).optional(),
  template: line(200, "Template").optional(),
  /** Only those idle at least this many hours. */
  idleHours: z.coerce.number({ error: "A number of hours." }).min(0).max(24 * 365).optional(),
  /** Only those expiring within this many hours. */
  expiresWithinHours: z.coerce.number({ error: "A number of hours." }).min(0).max(24 * 365).optional(),
  q: line(100, "Search").optional(),
});

export type OverviewQuery = z.infer<typeof overviewQuerySchema>;
/** What the lead's view asks for: the query's fields, one status at a time. */
export type OverviewFilters = Partial<Omit<OverviewQuery, "status">> & { status?: (typeof OVERVIEW_STATUSES)[number] };

export const usageQuerySchema = z.object({
  days: z.coerce.number({ error: "A number of days." }).int().min(1, { error: "At least 1 day." }).max(366, { error: "At most 366 days." }).default(30),
  by: z.enum(["owner", "template"], { error: "owner or template." }).default("owner"),
});

export type UsageQuery = z.infer<typeof usageQuerySchema>;

export const forecastQuerySchema = z.object({
  hours: z.coerce.number({ error: "A number of hours." }).int().min(1, { error: "At least 1 hour." }).max(24 * 14, { error: "At most 14 days." }).default(24),
});
