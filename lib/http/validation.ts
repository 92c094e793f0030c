import type { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";

/** Turns zod issues into `{ "components.0.image": ["…"] }`, the API's `details` for a 400. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError("invalid_input", "Some fields are not valid.", fieldErrors(result.error));
  }
  return result.data;
}
