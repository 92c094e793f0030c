import { z } from "zod";
import { parseImage } from "@/lib/environments/image-ref";
import { line } from "@/lib/input/text";

// The version picker's question and answer: which tags of one image repository a person may
// pick, and where each was seen. The UI imports the answer's type from here.

const REPOSITORY = "Repository is required, e.g. nginx or registry.sandbox.corral.test/shop/web.";

export const repositorySchema = line(255, "Repository", REPOSITORY)
  .trim()
  .min(1, { error: REPOSITORY })
  .superRefine((repository, ctx) => {
    if (repository === "") return; // already said
    if (repository.includes("@") || repository.lastIndexOf(":") > repository.lastIndexOf("/")) {
      ctx.addIssue({ code: "custom", message: "Give the repository without a tag or digest, e.g. shop/web rather than shop/web:1.2.1." });
      return;
    }
    const parsed = parseImage(`${repository}:0`);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  });

export const imageVersionsQuerySchema = z.object({ repository: repositorySchema });

export const VERSION_SOURCES = ["template", "environment", "registry"] as const;
export const REGISTRY_STATUSES = ["ok", "unreachable", "refused", "not-found", "not-asked"] as const;

export const imageVersionSchema = z.object({
  tag: z.string(),
  /** Where the tag was seen, in this order: a template's default, a live environment, the registry. */
  sources: z.array(z.enum(VERSION_SOURCES)),
  /** Templates whose default it is, by name. */
  templates: z.array(z.string()),
  /** Live environments running it, newest first, at most a few. */
  environments: z.array(z.string()),
  /** How many live environments run it in all. */
  environmentCount: z.number().int(),
});

export const imageVersionsSchema = z.object({
  repository: z.string(),
  /** Newest first. */
  versions: z.array(imageVersionSchema),
  registry: z.object({ status: z.enum(REGISTRY_STATUSES), message: z.string().optional() }),
});

export type ImageVersion = z.infer<typeof imageVersionSchema>;
export type ImageVersions = z.infer<typeof imageVersionsSchema>;
export type RegistryStatus = ImageVersions["registry"];
