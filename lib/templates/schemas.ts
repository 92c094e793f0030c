import { z } from "zod";
import { line, text } from "@/lib/input/text";
import { parseImage } from "@/lib/environments/image-ref";
import { nameProblem } from "@/lib/environments/names";
import { componentNameSchema } from "@/lib/environments/schemas";
import { QUANTITY, quantityValue } from "./quantity";

// Input shapes of the templates API. The admin form imports these too, so the form and the
// server give the same messages in the same places (`components.0.defaultTag`).

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// ResourceQuota `hard` keys are resource names: `pods`, `requests.cpu`, `count/deployments.apps`.
const QUOTA_KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

const PORT = "A port is a whole number from 1 to 65535.";
const REPLICAS = "Replicas is a whole number from 0 to 20.";
const TTL = "Default time to live is a whole number of hours from 1 to 2160 (90 days).";
const COMPONENTS = "Add at least one component.";

export const templateNameSchema = z.string({ error: "Name is required." }).superRefine((name, ctx) => {
  const problem = nameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const quantity = (what: string, example: string) =>
  z
    .string({ error: `${what} is a quantity such as ${example}.` })
    .trim()
    .regex(QUANTITY, { error: `${what} is a quantity such as ${example}.` });

const resourceListSchema = z.strictObject(
  { cpu: quantity("CPU", "250m or 1.5").optional(), memory: quantity("Memory", "256Mi or 1Gi").optional() },
  { error: (issue) => (issue.code === "unrecognized_keys" ? "Only cpu and memory can be set here." : 'Write e.g. { "cpu": "250m", "memory": "256Mi" }.') },
);

/** Kubernetes `resources` of a container: requests and limits of cpu and memory. */
export const resourcesSchema = z
  .strictObject(
    { requests: resourceListSchema.optional(), limits: resourceListSchema.optional() },
    { error: (issue) => (issue.code === "unrecognized_keys" ? "Only requests and limits can be set here." : "Resources are an object of requests and limits.") },
  )
  .superRefine((resources, ctx) => {
    // Kubernetes refuses a Pod whose request is above its limit; say so here, on the request.
    for (const kind of ["cpu", "memory"] as const) {
      const request = resources.requests?.[kind];
      const limit = resources.limits?.[kind];
      if (request && limit && quantityValue(request) > quantityValue(limit)) {
        ctx.addIssue({ code: "custom", path: ["requests", kind], message: `The request (${request}) is above the limit (${limit}).` });
      }
    }
  });

export const envSchema = z
  .record(z.string(), text(32_768, "The value of an env var", "Values of env vars are strings."), {
    error: "Env vars are an object of NAME → value.",
  })
  .superRefine((env, ctx) => {
    const keys = Object.keys(env);
    const bad = keys.filter((key) => !ENV_KEY.test(key));
    if (bad.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `${bad.map((k) => `“${k}”`).join(", ")} ${bad.length === 1 ? "is not a valid name" : "are not valid names"}: letters, digits and '_', not starting with a digit.`,
      });
    }
    if (keys.length > 200) ctx.addIssue({ code: "custom", message: "At most 200 env vars." });
  });

/** A namespace's ResourceQuota `hard` limits, e.g. { "requests.cpu": "4", "pods": "20" }. */
export const quotaSchema = z
  .record(z.string(), z.string({ error: 'Quota values are quantities written as strings, e.g. "4" or "8Gi".' }), {
    error: 'Quota is an object such as { "requests.cpu": "4", "limits.memory": "8Gi" }.',
  })
  .superRefine((quota, ctx) => {
    for (const [key, value] of Object.entries(quota)) {
      if (key.length > 253 || !QUOTA_KEY.test(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `“${key}” is not a resource name such as requests.cpu, limits.memory or pods.` });
      } else if (!QUANTITY.test(value)) {
        ctx.addIssue({ code: "custom", path: [key], message: `“${value}” is not a quantity: write e.g. 4, 500m or 8Gi.` });
      }
    }
  });

const START_ORDER = "Start order is a whole number from 0 to 99 (lowest first), or none.";

export const templateComponentSchema = z
  .object({
    name: componentNameSchema,
    repository: line(255, "Repository", "Repository is required, e.g. nginx or ghcr.io/acme/api.")
      .trim()
      .min(1, { error: "Repository is required, e.g. nginx or ghcr.io/acme/api." }),
    defaultTag: line(128, "Default tag", "A default tag is required, e.g. 1.27.3.").trim().min(1, { error: "A default tag is required, e.g. 1.27.3." }),
    port: z.number({ error: PORT }).int({ error: PORT }).min(1, { error: PORT }).max(65535, { error: PORT }).nullable().default(null),
    replicas: z.number({ error: REPLICAS }).int({ error: REPLICAS }).min(0, { error: REPLICAS }).max(20, { error: REPLICAS }).default(1),
    env: envSchema.default({}),
    resources: resourcesSchema.default({}),
    public: z.boolean({ error: "Public is true or false." }).default(false),
    // Keeps running while its environment sleeps (a database the others need).
    persistent: z.boolean({ error: "Persistent is true or false." }).default(false),
    // Woken in this order, lowest first, each group once the one before is ready.
    startOrder: z.number({ error: START_ORDER }).int({ error: START_ORDER }).min(0, { error: START_ORDER }).max(99, { error: START_ORDER }).nullable().default(null),
  })
  .superRefine((component, ctx) => {
    if (component.repository === "" || component.defaultTag === "") return; // already said
    const problem = imageProblem(component.repository, component.defaultTag);
    if (problem) ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
  });

export const templateInputSchema = z
  .object({
    name: templateNameSchema,
    description: text(500, "Description", "Description is text.").trim().default(""),
    defaultTtlHours: z.number({ error: TTL }).int({ error: TTL }).min(1, { error: TTL }).max(2160, { error: TTL }).default(72),
    quota: quotaSchema.default({}),
    // The stores each environment gets (its own MySQL database, Redis prefix, S3 prefix).
    dataStores: z
      .array(z.enum(["mysql", "redis", "s3"], { error: "A data store is mysql, redis or s3." }), { error: "Data stores is a list: mysql, redis, s3." })
      .max(3)
      .default([])
      .transform((kinds) => [...new Set(kinds)]),
    components: z.array(templateComponentSchema, { error: COMPONENTS }).min(1, { error: COMPONENTS }).max(50, { error: "At most 50 components." }),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.components.forEach((component, index) => {
      if (seen.has(component.name)) {
        ctx.addIssue({ code: "custom", path: ["components", index, "name"], message: `Two components are named “${component.name}”.` });
      }
      seen.add(component.name);
    });
  });

/** What the API accepts (defaults not yet applied), and what the services get. */
export type TemplateFormInput = z.input<typeof templateInputSchema>;
export type TemplateInput = z.infer<typeof templateInputSchema>;
export type TemplateResources = z.infer<typeof resourcesSchema>;

// The repository and the tag are checked as the one image reference they become, and the
// message is put on whichever of the two fields is wrong.
function imageProblem(repository: string, tag: string): { field: "repository" | "defaultTag"; message: string } | null {
  if (repository.includes("@") || repository.lastIndexOf(":") > repository.lastIndexOf("/")) {
    return { field: "repository", message: "Give the repository without a tag or digest: the version goes in Default tag." };
  }
  const repositoryAlone = parseImage(`${repository}:0`);
  if (!repositoryAlone.ok) return { field: "repository", message: repositoryAlone.message };
  const parsed = parseImage(`${repository}:${tag}`);
  if (!parsed.ok) return { field: "defaultTag", message: parsed.message };
  // `1.0@sha256:…` parses as a digest; a default tag is a tag only.
  if (parsed.image.tag !== tag) {
    return { field: "defaultTag", message: `“${tag}” is not a valid tag: letters, digits, '_', '.' and '-', at most 128.` };
  }
  return null;
}
