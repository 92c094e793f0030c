import { otherMethods, withRoute } from "@/lib/http/with-route";
import { collectMetrics } from "@/lib/ops/collect-metrics";

// GET /api/metrics – Prometheus text format (admins, or a token with metrics:read for the scraper)
export const GET = withRoute({ permission: "metrics:read" }, async () => {
  const { contentType, body } = await collectMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
