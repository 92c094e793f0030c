import { z } from "zod";
import { CURSOR_MAX } from "./cursor";

const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "Not a valid name." }).max(253);
const flag = z.enum(["true", "false"]).optional().transform((v) => v === "true");
const rfc3339 = z.iso.datetime({ offset: true, precision: undefined, error: "A date and time such as 2026-11-22T10:00:00Z." });

export const cursorSchema = z
  .string()
  .max(CURSOR_MAX, { error: `A cursor is at most ${CURSOR_MAX} characters.` })
  .regex(/^[A-Za-z0-9_-]*$/, { error: "A cursor is the id of a log event, as the server sent it." });

/** Which logs: a component (all its pods), or one pod (and container). */
export const logSelectionSchema = z.object({
  component: name.optional(),
  pod: name.optional(),
  container: name.optional(),
  previous: flag,
});

export const followLogsQuerySchema = logSelectionSchema.extend({
  tailLines: z.coerce.number({ error: "A number of lines from 0 to 10000." }).int().min(0).max(10_000, { error: "At most 10000 lines." }).default(500),
  follow: z.enum(["true", "false"]).optional().transform((v) => v !== "false"),
  /** Resume point, when the browser's EventSource cannot send Last-Event-ID itself. */
  cursor: cursorSchema.optional(),
  /** Open from this time instead of the last `tailLines` lines (a link to a line); a cursor wins. */
  since: rfc3339.optional(),
});

export const downloadLogsQuerySchema = logSelectionSchema.extend({
  /** The bytes as the container wrote them, terminal escapes and all; otherwise only colours are kept. */
  raw: flag,
  since: rfc3339.optional(),
  until: rfc3339.optional(),
});

export type LogSelection = z.infer<typeof logSelectionSchema>;
