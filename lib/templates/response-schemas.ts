import { z } from "zod";
import type { Fits } from "@/lib/openapi/fits";
import type { deleteTemplate } from "./delete-template";
import type { TemplateList } from "./list-templates";
import type { TemplateDto } from "./template-dto";

// What the templates API answers, for the API document (lib/openapi), held to the DTOs by `Fits`.

const iso = z.iso.datetime({ offset: true });
const resourceList = z.object({ cpu: z.string().optional(), memory: z.string().optional() });

export const templateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    quota: z.record(z.string(), z.string()).meta({ description: "The namespace's ResourceQuota `hard` limits." }),
    defaultTtlHours: z.number().int(),
    dataStores: z.array(z.enum(["mysql", "redis", "s3"])),
    createdAt: iso,
    updatedAt: iso,
    components: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        repository: z.string(),
        defaultTag: z.string(),
        port: z.number().int().nullable(),
        replicas: z.number().int(),
        env: z.record(z.string(), z.string()),
        resources: z.object({ requests: resourceList.optional(), limits: resourceList.optional() }),
        public: z.boolean(),
        persistent: z.boolean(),
        startOrder: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: "Template" });

export const templateListSchema = z.object({ items: z.array(templateSchema) }).meta({ id: "TemplateList" });

export const deletedTemplateSchema = z.object({ id: z.string(), name: z.string() });

type _Template = Fits<TemplateDto, typeof templateSchema>;
type _List = Fits<TemplateList, typeof templateListSchema>;
type _Deleted = Fits<Awaited<ReturnType<typeof deleteTemplate>>, typeof deletedTemplateSchema>;
