import { testDataSource } from "@/lib/data/test-data-source";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/data-sources/:id/test – connect with the stored credentials and say in plain words what works and what failed
export const POST = withRoute<{ id: string }>(
  { permission: "data-sources:manage", audit: { action: "data-source.test", targetType: "data-source", fields: ["name", "ok"] } },
  async ({ params }) => testDataSource(params.id),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
