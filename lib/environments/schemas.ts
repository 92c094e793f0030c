import { z } from "zod";
import { line } from "@/lib/input/text";
import { parseImage } from "./image-ref";
import { nameProblem, reservedProblem } from "./names";

// Input shapes of the environments API. Client code imports these too, so the form and the
// server give the same messages.

export const environmentNameSchema = z.string({ error: "Name is required." }).superRefine((name, ctx) => {
  const problem = nameProblem(name) ?? reservedProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const componentNameSchema = z.string({ error: "Component name is required." }).superRefine((name, ctx) => {
  const problem = nameProblem(name, "Component name");
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const imageSchema = z.string({ error: "Image is required, e.g. nginx:1.27." }).superRefine((image, ctx) => {
  const parsed = parseImage(image);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
});

export const componentInputSchema = z.object({
  name: componentNameSchema,
  image: imageSchema,
  replicas: z.number().int().min(0, { error: "At least 0 replicas." }).max(20, { error: "At most 20 replicas." }).optional(),
  port: z.number().int().min(1).max(65535, { error: "A port is between 1 and 65535." }).optional(),
});

export const createEnvironmentSchema = z
  .object({
    name: environmentNameSchema,
    template: line(200, "Template").trim().min(1, { error: "Name a template, or leave it out." }).optional(),
    /** Another environment (id or name) whose components and versions this one copies. */
    cloneFrom: line(200, "Clone from").trim().min(1, { error: "Name an environment, or leave it out." }).optional(),
    /** The cluster (id or name) to place it on; the default cluster otherwise. */
    cluster: line(200, "Cluster").trim().min(1, { error: "Name a cluster, or leave it out." }).optional(),
    /**
     * Without a template or a clone: the environment's components. With one: versions (and
     * replicas, ports) of the template's or the source's components, each naming one of them.
     */
    components: z.array(componentInputSchema).max(50, { error: "At most 50 components." }).default([]),
    /** Components run beside the template's or the source's: an explicit addition, never an override. */
    extraComponents: z.array(componentInputSchema).max(50, { error: "At most 50 extra components." }).default([]),
    ttlHours: z.number().int().min(1).max(24 * 90, { error: "At most 90 days." }).optional(),
  })
  .superRefine((input, ctx) => {
    if (!input.template && !input.cloneFrom && input.components.length === 0) {
      ctx.addIssue({ code: "custom", path: ["components"], message: "Add at least one component or choose a template." });
    }
    for (const list of ["components", "extraComponents"] as const) {
      const seen = new Set<string>();
      input[list].forEach((component, index) => {
        if (seen.has(component.name)) {
          ctx.addIssue({ code: "custom", path: [list, index, "name"], message: `Two components are named “${component.name}”.` });
        }
        seen.add(component.name);
      });
    }
    // Across the two lists it depends on the template: create-environment.ts says which.
  });

/** What the service takes: the schema's output, where in-process callers may leave the lists out. */
export type CreateEnvironmentInput = Omit<z.infer<typeof createEnvironmentSchema>, "extraComponents"> & {
  extraComponents?: z.infer<typeof createEnvironmentSchema>["extraComponents"];
};

export const changeVersionSchema = z.object({ image: imageSchema });

export const ENVIRONMENT_STATUSES = [
  "provisioning",
  "ready",
  "degraded",
  "updating",
  "sleeping",
  "failed",
  "destroying",
  "destroyed",
] as const;

// `?status=a&status=b` arrives as an array, `?status=a` as a string.
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item).optional());

export const listEnvironmentsQuerySchema = z.object({
  cursor: line(64, "Cursor").optional(),
  limit: z.coerce
    .number({ error: "Limit is a number from 1 to 200." })
    .int({ error: "Limit is a number from 1 to 200." })
    .min(1, { error: "Limit is a number from 1 to 200." })
    .max(200, { error: "Limit is a number from 1 to 200." })
    .default(50),
  owner: line(320, "Owner").optional(),
  status: oneOrMany(z.enum(ENVIRONMENT_STATUSES, { error: `Status is one of ${ENVIRONMENT_STATUSES.join(", ")}.` })),
  q: line(63, "Search").optional(),
});

export type ListEnvironmentsQuery = z.infer<typeof listEnvironmentsQuerySchema>;

/** What the environments page filters by: a subset of the query, as the browser holds it. */
export type EnvironmentFilters = { q?: string; owner?: string; status?: (typeof ENVIRONMENT_STATUSES)[number] | "" };

/** The change stream's filter: one environment, or all. */
export const environmentChangesQuerySchema = z.object({
  id: z.string().min(1, { error: "Name an environment id, or leave id out." }).max(64, { error: "An environment id is at most 64 characters." }).optional(),
});

const REPLICAS = "Replicas is a whole number from 0 to 20.";
export const scaleComponentSchema = z.object({
  replicas: z.number({ error: REPLICAS }).int({ error: REPLICAS }).min(0, { error: REPLICAS }).max(20, { error: REPLICAS }),
});

export const handOverSchema = z.object({
  owner: line(320, "Owner", "Name the new owner by e-mail.").trim().min(1, { error: "Name the new owner by e-mail." }),
});

export const destroyQuerySchema = z.object({
  /** Why, in a few words, for the destroyed environment's page. */
  reason: line(200, "Reason").trim().optional(),
});

export const addHostnameSchema = z.object({
  fqdn: line(253, "Hostname", "Give the hostname, such as demo.envs.example.com.")
    .trim()
    .toLowerCase()
    .transform((v) => v.replace(/\.$/, ""))
    .pipe(z.string().min(1, { error: "Give the hostname, such as demo.envs.example.com." })),
  component: componentNameSchema,
});
