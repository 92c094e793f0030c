import { bulkDestroy } from "@/lib/environments/bulk-destroy";
import { bulkDestroySchema } from "@/lib/lifecycle/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// POST /api/v1/environments/bulk-destroy – a lead tears down many environments; the answer says what became of each
export const POST = withRoute(
  { permission: "environments:bulk-destroy", status: 202, audit: { action: "environment.bulk-destroy", targetType: "environment", fields: ["destroying"] } },
  async ({ actor, body }) => {
    const input = await body(bulkDestroySchema);
    return bulkDestroy(actor, input.ids, input.reason);
  },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
