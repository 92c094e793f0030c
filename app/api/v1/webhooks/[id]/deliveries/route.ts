import { otherMethods, withRoute } from "@/lib/http/with-route";
import { listDeliveries } from "@/lib/webhooks/list-deliveries";
import { listDeliveriesQuerySchema } from "@/lib/webhooks/schemas";

// GET /api/v1/webhooks/:id/deliveries – its delivery log, newest first: status, attempts, the receiver's last answer or the problem in plain words
export const GET = withRoute<{ id: string }>({ permission: "webhooks:manage" }, async ({ actor, params, query }) =>
  listDeliveries(actor, params.id, query(listDeliveriesQuerySchema)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
