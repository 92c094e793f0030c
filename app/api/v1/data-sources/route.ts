import { actorMay } from "@/lib/auth/permissions";
import { listCopySources, listDataSources } from "@/lib/data/list-data-sources";
import { saveDataSource } from "@/lib/data/save-data-source";
import { dataSourceInputSchema } from "@/lib/data/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/data-sources – admins: every source and store host with its connection details (never a secret); others: the sources they may copy from
export const GET = withRoute({ permission: "data:clone" }, async ({ actor }) => (actorMay(actor, "data-sources:manage") ? listDataSources() : listCopySources()));

// POST /api/v1/data-sources – register a MySQL/MariaDB server, Redis server or S3 bucket (its secret is sealed, never shown again)
export const POST = withRoute(
  { permission: "data-sources:manage", status: 201, audit: { action: "data-source.create", targetType: "data-source", fields: ["name", "kind", "protected", "storeHost"] } },
  async ({ body }) => saveDataSource(null, await body(dataSourceInputSchema)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
