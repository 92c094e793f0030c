import { describe, expect, it } from "vitest";
import { formatImage, parseImage } from "./image-ref";

const digest = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("parseImage", () => {
  it.each([
    ["nginx:1.27.3", { repository: "nginx", tag: "1.27.3", digest: null }],
    ["library/nginx:1.27", { repository: "library/nginx", tag: "1.27", digest: null }],
    ["ghcr.io/acme/api:v2.1.0-rc.1", { repository: "ghcr.io/acme/api", tag: "v2.1.0-rc.1", digest: null }],
    ["registry.local:5000/team/app:42", { repository: "registry.local:5000/team/app", tag: "42", digest: null }],
    ["localhost/app:1", { repository: "localhost/app", tag: "1", digest: null }],
    ["registry.local:65535/app:1", { repository: "registry.local:65535/app", tag: "1", digest: null }],
    [`nginx@${digest}`, { repository: "nginx", tag: null, digest }],
    [`nginx:1.27@${digest}`, { repository: "nginx", tag: null, digest }],
    ["my_org/my-app__x:1_0", { repository: "my_org/my-app__x", tag: "1_0", digest: null }],
  ])("accepts %s", (input, image) => {
    expect(parseImage(input)).toEqual({ ok: true, image });
  });

  it.each([
    ["", /required/],
    ["nginx", /Pin a version: add a tag \(nginx:1\.2\.3\)/],
    ["nginx:latest", /latest/],
    ["registry.local:5000/app", /Pin a version/],
    ["UPPER/case:1", /lower case/],
    ["nginx:bad tag", /no spaces/],
    ["nginx:-x", /not a valid tag/],
    ["nginx@sha256:abc", /digest/],
    ["team//app:1", /missing a part/],
    ["team/app-:1", /not a valid repository name part/],
    ["bad_host.io:x/app:1", /not a valid registry host/],
    ["evil.com:99999999999/x:1", /port .* not between 1 and 65535/],
    ["evil.com:65536/x:1", /port .* not between 1 and 65535/],
    ["evil.com:0/x:1", /port .* not between 1 and 65535/],
  ])("refuses %j", (input, message) => {
    const parsed = parseImage(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it("formats back to a pinned reference", () => {
    expect(formatImage({ repository: "nginx", tag: "1.27", digest: null })).toBe("nginx:1.27");
    expect(formatImage({ repository: "nginx", tag: null, digest })).toBe(`nginx@${digest}`);
  });
});
