import { previewDataSourceMasking } from "@/lib/data/inspect-data-source";
import { maskingPreviewInputSchema } from "@/lib/data/masking/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/data-sources/:id/masking-preview – a few rows of a table before and after the rules being edited (nothing is saved)
// Audited: it shows an admin unmasked production rows (the entry names the table, never the rows).
export const POST = withRoute<{ id: string }>({ permission: "masking-rules:manage", audit: { action: "data-source.masking-preview", targetType: "data-source", fields: ["table"] } }, async ({ params, body }) => previewDataSourceMasking(params.id, await body(maskingPreviewInputSchema)));

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
