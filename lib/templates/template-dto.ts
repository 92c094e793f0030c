import type { TemplateResources } from "./schemas";

// What the API answers for a template: an explicit shape with ISO dates. The JSON columns
// were written through the schemas, so reading them back only narrows their type.

interface TemplateComponentRow {
  id: string;
  name: string;
  repository: string;
  defaultTag: string;
  port: number | null;
  replicas: number;
  env: unknown;
  resources: unknown;
  public: boolean;
  persistent: boolean;
  startOrder: number | null;
}

interface TemplateRow {
  id: string;
  name: string;
  description: string;
  quota: unknown;
  defaultTtlHours: number;
  dataStores: ("mysql" | "redis" | "s3")[];
  createdAt: Date;
  updatedAt: Date;
  components: TemplateComponentRow[];
}

export const templateSelect = {
  id: true,
  name: true,
  description: true,
  quota: true,
  defaultTtlHours: true,
  dataStores: true,
  createdAt: true,
  updatedAt: true,
  components: {
    select: { id: true, name: true, repository: true, defaultTag: true, port: true, replicas: true, env: true, resources: true, public: true, persistent: true, startOrder: true },
    orderBy: { name: "asc" },
  },
} as const;

export function toTemplateDto(template: TemplateRow) {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    quota: stringRecord(template.quota),
    defaultTtlHours: template.defaultTtlHours,
    dataStores: template.dataStores,
    createdAt: template.createdAt.toISOString(),
    updatedAt: template.updatedAt.toISOString(),
    components: template.components.map((c) => ({
      id: c.id,
      name: c.name,
      repository: c.repository,
      defaultTag: c.defaultTag,
      port: c.port,
      replicas: c.replicas,
      env: stringRecord(c.env),
      resources: resources(c.resources),
      public: c.public,
      persistent: c.persistent,
      startOrder: c.startOrder,
    })),
  };
}

export type TemplateDto = ReturnType<typeof toTemplateDto>;

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

function resources(value: unknown): TemplateResources {
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  const out: TemplateResources = {};
  for (const kind of ["requests", "limits"] as const) {
    const list = stringRecord(record[kind]);
    const picked = { ...(list.cpu ? { cpu: list.cpu } : {}), ...(list.memory ? { memory: list.memory } : {}) };
    if (Object.keys(picked).length > 0) out[kind] = picked;
  }
  return out;
}
