import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { templateSelect, toTemplateDto } from "./template-dto";

export async function getTemplateOrThrow(id: string) {
  const template = await db.template.findUnique({ where: { id }, select: templateSelect });
  if (!template) throw new AppError("not_found", "There is no such template.");
  return toTemplateDto(template);
}
