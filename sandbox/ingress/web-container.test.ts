import { describe, expect, it } from "vitest";
import { accessLogLine, clfDate, pageFacts, renderPage } from "./web-container";

describe("the simulated web container", () => {
  it("writes nginx's combined format, escaping what the client sent", () => {
    const line = accessLogLine({
      remoteAddress: "127.0.0.1",
      time: Date.UTC(2026, 2, 5, 9, 4, 7),
      method: "GET",
      target: '/a"b?c=\u001b[2J',
      httpVersion: "1.1",
      status: 200,
      bytes: 512,
      referer: undefined,
      userAgent: "curl/8.5.0 \u00e9\\",
    });
    expect(line).toBe('127.0.0.1 - - [05/Mar/2026:09:04:07 +0000] "GET /a\\x22b?c=\\x1B[2J HTTP/1.1" 200 512 "-" "curl/8.5.0 \\xE9\\x5C"');
    expect(clfDate(Date.UTC(2026, 11, 31, 23, 59, 59))).toBe("31/Dec/2026:23:59:59 +0000");
  });

  it("names the pod, image and version, escaped in HTML", () => {
    const facts = pageFacts({ pod: "web-1", namespace: "env", container: "web", image: "registry.test:5000/shop/web:1.2.1", host: "h", method: "GET", path: "/<script>" });
    expect(facts.version).toBe("1.2.1");
    const html = renderPage(facts, false);
    expect(html.contentType).toContain("text/html");
    expect(html.body).toContain("&lt;script&gt;");
    expect(html.body).not.toContain("<script>");
    expect(JSON.parse(renderPage(facts, true).body)).toEqual(facts);
    expect(pageFacts({ ...facts, image: `shop/web@sha256:${"0".repeat(64)}` }).version).toBe(`sha256:${"0".repeat(64)}`);
  });
});
