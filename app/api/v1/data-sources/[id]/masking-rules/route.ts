import { saveMaskingRules } from "@/lib/data/save-masking-rules";
import { maskingRulesSchema } from "@/lib/data/masking/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// PUT /api/v1/data-sources/:id/masking-rules – replace a source's masking rules (per table.column, and per Redis key pattern)
export const PUT = withRoute<{ id: string }>(
  { permission: "masking-rules:manage", audit: { action: "data-source.masking-rules", targetType: "data-source", fields: ["name"] } },
  async ({ params, body }) => saveMaskingRules(params.id, await body(maskingRulesSchema)),
);

export const { GET, POST, PATCH, DELETE } = otherMethods("PUT");
