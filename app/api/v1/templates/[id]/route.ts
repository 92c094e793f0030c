import { otherMethods, withRoute } from "@/lib/http/with-route";
import { deleteTemplate } from "@/lib/templates/delete-template";
import { getTemplateOrThrow } from "@/lib/templates/get-template-or-throw";
import { templateInputSchema } from "@/lib/templates/schemas";
import { updateTemplate } from "@/lib/templates/update-template";

// GET /api/v1/templates/:id – one template with its components
export const GET = withRoute<{ id: string }>({ permission: "templates:read" }, async ({ params }) => getTemplateOrThrow(params.id));

// PUT /api/v1/templates/:id – replace a template, its set of components included
export const PUT = withRoute<{ id: string }>(
  { permission: "templates:manage", audit: { action: "template.update", targetType: "template" } },
  async ({ params, body }) => updateTemplate(params.id, await body(templateInputSchema)),
);

// DELETE /api/v1/templates/:id – delete a template; environments made from it live on
export const DELETE = withRoute<{ id: string }>(
  { permission: "templates:manage", audit: { action: "template.delete", targetType: "template" } },
  async ({ params }) => deleteTemplate(params.id),
);

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
