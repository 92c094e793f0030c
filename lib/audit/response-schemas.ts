import { z } from "zod";
import type { Fits } from "@/lib/openapi/fits";
import type { AuditPage } from "./list-audit";

// What the audit API answers, for the API document (lib/openapi), held to the DTO by `Fits`.

export const auditPageSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        via: z.string().meta({ description: "`session`, `token:<id>` or `system`." }),
        action: z.string(),
        targetType: z.string(),
        targetId: z.string().nullable(),
        ip: z.string().nullable(),
        outcome: z.string().meta({ description: "`ok`, or the error code the request was refused with." }),
        details: z.record(z.string(), z.unknown()),
        createdAt: z.iso.datetime({ offset: true }),
        actor: z.object({ email: z.string(), name: z.string() }).nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "AuditPage" });

type _Page = Fits<AuditPage, typeof auditPageSchema>;
