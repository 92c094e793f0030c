import { otherMethods, withRoute } from "@/lib/http/with-route";
import { createTemplate } from "@/lib/templates/create-template";
import { listTemplates } from "@/lib/templates/list-templates";
import { templateInputSchema } from "@/lib/templates/schemas";

// GET /api/v1/templates – every template with its components' default versions
export const GET = withRoute({ permission: "templates:read" }, async () => listTemplates());

// POST /api/v1/templates – create a template with its components
export const POST = withRoute(
  { permission: "templates:manage", status: 201, audit: { action: "template.create", targetType: "template" } },
  async ({ body }) => createTemplate(await body(templateInputSchema)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
