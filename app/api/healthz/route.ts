// GET /api/healthz – the process is up (no dependencies checked: that is /api/readyz)
export function GET() {
  return Response.json({ status: "ok" });
}
