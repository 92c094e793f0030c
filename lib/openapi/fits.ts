import type { z } from "zod";

/**
 * Compile-time only: `Dto` is what a route answers, `Schema` what the API document says it
 * answers. It fails to type-check when the answer has a top-level field the schema leaves out,
 * or a field that does not fit the schema, so a DTO change that is not described breaks
 * `npm run typecheck` instead of the document. (Nested extra fields are caught at run time by
 * the contract test: response schemas forbid properties they do not name.)
 *
 *   type _Fits = Fits<EnvironmentDto, typeof environmentSchema>;
 */
export type Fits<Dto extends z.output<Schema> & NoFieldsBeyond<Dto, z.output<Schema>>, Schema extends z.ZodType> = Dto;

type NoFieldsBeyond<Dto, Described> = { [K in Exclude<keyof Dto, keyof Described>]: never };
