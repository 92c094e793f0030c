import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/http/validation";
import { createEnvironmentSchema, listEnvironmentsQuerySchema } from "./schemas";

function errorsOf(input: unknown) {
  const result = createEnvironmentSchema.safeParse(input);
  return result.success ? {} : fieldErrors(result.error);
}

describe("createEnvironmentSchema", () => {
  it("puts each problem on its own field path", () => {
    expect(
      errorsOf({ name: "Prod", components: [{ name: "web", image: "nginx:latest" }, { name: "Web", image: "nginx" }] }),
    ).toEqual({
      name: [expect.stringMatching(/lower-case/)],
      "components.0.image": [expect.stringMatching(/latest/)],
      "components.1.name": [expect.stringMatching(/lower-case/)],
      "components.1.image": [expect.stringMatching(/Pin a version/)],
    });
  });

  it("accepts a template without components, and a 63-character name", () => {
    expect(errorsOf({ name: "a".repeat(63), template: "web-stack" })).toEqual({});
  });

  it.each(["kube-public", "corral-system", "default"])("reserves %s", (name) => {
    expect(errorsOf({ name, template: "t" }).name?.[0]).toMatch(/reserved/);
  });
});

describe("listEnvironmentsQuerySchema", () => {
  it("takes one status or several, and defaults the page size", () => {
    expect(listEnvironmentsQuerySchema.parse({ status: "ready" })).toMatchObject({ status: ["ready"], limit: 50 });
    expect(listEnvironmentsQuerySchema.parse({ status: ["ready", "failed"], limit: "10" })).toMatchObject({
      status: ["ready", "failed"],
      limit: 10,
    });
  });
});
