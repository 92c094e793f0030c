import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/prisma-errors";
import type { TemplateInput } from "./schemas";
import { templateSelect, toTemplateDto } from "./template-dto";

export async function createTemplate(input: TemplateInput) {
  try {
    const template = await db.template.create({
      data: { ...templateFields(input), components: { create: input.components } },
      select: templateSelect,
    });
    return toTemplateDto(template);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

/** The template's own columns, without its components. */
export function templateFields(input: TemplateInput) {
  return { name: input.name, description: input.description, defaultTtlHours: input.defaultTtlHours, quota: input.quota, dataStores: input.dataStores };
}

export function nameTaken(name: string) {
  return new AppError("conflict", `A template named “${name}” already exists.`, { name: [`“${name}” is taken; choose another name.`] });
}
