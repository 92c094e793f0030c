import { copyInputSchema } from "@/lib/data/schemas";
import { startDataCopy } from "@/lib/data/start-data-copy";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/:id/data/copies – copy a data source or another environment's store into this environment's store (emptied first; confirm with the environment's name); progress follows on the change stream
export const POST = withRoute<{ id: string }>(
  { permission: "data:clone", status: 202, audit: { action: "environment.data-copy", targetType: "environment", fields: ["id", "kind", "masked"] } },
  async ({ actor, params, body }) => startDataCopy(actor, params.id, await body(copyInputSchema)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
