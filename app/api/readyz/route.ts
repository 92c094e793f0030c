import { otherMethods } from "@/lib/http/with-route";
import { checkReadiness } from "@/lib/ops/check-readiness";

export const dynamic = "force-dynamic";

// GET /api/readyz – 200 when every dependency answers, 503 naming the ones that do not
export async function GET() {
  const result = await checkReadiness();
  return Response.json(result, { status: result.ready ? 200 : 503 });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
