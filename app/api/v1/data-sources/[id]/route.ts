import { deleteDataSource } from "@/lib/data/delete-data-source";
import { getDataSource } from "@/lib/data/list-data-sources";
import { saveDataSource } from "@/lib/data/save-data-source";
import { dataSourceInputSchema } from "@/lib/data/schemas";
import { AppError } from "@/lib/errors";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/data-sources/:id – one data source's settings and masking rules (never its secret)
export const GET = withRoute<{ id: string }>({ permission: "data-sources:manage" }, async ({ params }) => {
  const source = await getDataSource(params.id);
  if (!source) throw new AppError("not_found", "There is no such data source.");
  return source;
});

// PUT /api/v1/data-sources/:id – replace its settings; a missing secret keeps the stored one
export const PUT = withRoute<{ id: string }>(
  { permission: "data-sources:manage", audit: { action: "data-source.update", targetType: "data-source", fields: ["name", "kind", "protected", "storeHost"] } },
  async ({ params, body }) => saveDataSource(params.id, await body(dataSourceInputSchema)),
);

// DELETE /api/v1/data-sources/:id – remove a source no store lives on and no copy came from
export const DELETE = withRoute<{ id: string }>(
  { permission: "data-sources:manage", audit: { action: "data-source.delete", targetType: "data-source", fields: ["name", "kind"] } },
  async ({ params }) => deleteDataSource(params.id),
);

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
