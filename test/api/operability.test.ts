import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as me } from "@/app/api/v1/me/route";
import { DELETE as revoke } from "@/app/api/v1/tokens/[id]/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { callRoute } from "../support/call-route";
import { signedIn } from "../support/sign-in";

// This file's own limit, read at the first request.
process.env.CORRAL_RATE_LIMIT_MUTATIONS = "3";

describe("/api/metrics", () => {
  it("is Prometheus text a parser reads, counting the requests served", async () => {
    const admin = await signedIn("admin");
    expect((await callRoute(me, { path: "/api/v1/me", headers: admin.headers })).status).toBe(200);
    const res = await callRoute(metricsRoute, { path: "/api/metrics", headers: admin.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(res.body.text);
    expect(families.find((f) => f.name === "corral_http_request_duration_seconds")?.type).toBe("HISTOGRAM");
    const requests = families.find((f) => f.name === "corral_http_requests_total")!;
    expect(requests.type).toBe("COUNTER");
    const served = requests.metrics.find((m) => m.labels?.route === "/api/v1/me" && m.labels?.method === "GET" && m.labels?.status === "200");
    expect(Number(served?.value)).toBeGreaterThanOrEqual(1);
    for (const name of ["corral_jobs_total", "corral_queue_depth", "corral_queue_oldest_seconds", "corral_open_streams", "corral_watches", "corral_watch_restarts_total", "corral_job_duration_seconds"]) {
      expect(families.map((f) => f.name), name).toContain(name);
    }
  });

  it("is for admins and for tokens with metrics:read only", async () => {
    const dev = await signedIn("developer");
    expect((await callRoute(metricsRoute, { headers: dev.headers })).status).toBe(403);
    const admin = await signedIn("admin");
    const scraper = await createApiToken({ ...admin.user, via: "session", scopes: null }, { name: "prometheus", scopes: ["metrics:read"], expiresInDays: 30 });
    expect((await callRoute(metricsRoute, { headers: { authorization: `Bearer ${scraper.token}` } })).status).toBe(200);
  });
});

describe("rate limits", () => {
  it("answer 429 with Retry-After in the error shape once a person's changes pass the limit", async () => {
    const dev = await signedIn("developer");
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof callRoute>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await callRoute(revoke, { method: "DELETE", params: { id: `nope-${i}` }, headers: dev.headers });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(last!.body.error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/at most 3 a minute \(CORRAL_RATE_LIMIT_MUTATIONS\)/) });
    // Reading is not limited, and another person is not held back.
    expect((await callRoute(me, { headers: dev.headers })).status).toBe(200);
    const other = await signedIn("developer");
    expect((await callRoute(revoke, { method: "DELETE", params: { id: "nope" }, headers: other.headers })).status).toBe(404);
  });
});
