import "server-only";
import { db } from "@/lib/db/client";
import { templateSelect, toTemplateDto } from "./template-dto";

/** Every template with its components, by name; the environment form and the admin page share it. */
export async function listTemplates() {
  const templates = await db.template.findMany({ orderBy: { name: "asc" }, select: templateSelect });
  return { items: templates.map(toTemplateDto) };
}

export type TemplateList = Awaited<ReturnType<typeof listTemplates>>;
