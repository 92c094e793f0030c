import "server-only";
import { db } from "@/lib/db/client";

export async function listTemplates() {
  const templates = await db.template.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      description: true,
      defaultTtlHours: true,
      components: { select: { name: true, repository: true, defaultTag: true }, orderBy: { name: "asc" } },
    },
  });
  return { items: templates };
}

export type TemplateList = Awaited<ReturnType<typeof listTemplates>>;
