import { otherMethods } from "@/lib/http/with-route";

// GET /api/healthz – the process is up (no dependencies checked: that is /api/readyz)
export function GET() {
  return Response.json({ status: "ok" });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
