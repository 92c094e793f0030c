import { describe, expect, it } from "vitest";
import { routeOf } from "./metrics";

describe("routeOf", () => {
  it.each([
    ["/api/v1/environments", "/api/v1/environments"],
    ["/api/v1/environments/cmx25qffk000ea97d6nlb9zhs", "/api/v1/environments/:id"],
    ["/api/v1/environments/abc/components/web", "/api/v1/environments/:id/components/:id"],
    ["/api/v1/environments/abc/jobs/123/cancel", "/api/v1/environments/:id/jobs/:id/cancel"],
    ["/api/v1/environments/changes", "/api/v1/environments/changes"],
    ["/api/v1/tokens/t1", "/api/v1/tokens/:id"],
  ])("%s is %s", (path, route) => {
    expect(routeOf(path)).toBe(route);
  });
});
