import { describe, expect, it } from "vitest";
import { sameOrigin } from "./origins";

describe("sameOrigin", () => {
  it("accepts the origin itself, and loopback names for one another on the same port", () => {
    expect(sameOrigin("https://corral.example.com", "https://corral.example.com")).toBe(true);
    expect(sameOrigin("http://localhost:3000", "http://127.0.0.1:3000")).toBe(true);
    expect(sameOrigin("http://[::1]:3000", "http://127.0.0.1:3000")).toBe(true);
  });

  it("refuses another host, port or scheme, and nonsense", () => {
    expect(sameOrigin("https://evil.example", "https://corral.example.com")).toBe(false);
    expect(sameOrigin("http://localhost:3001", "http://127.0.0.1:3000")).toBe(false);
    expect(sameOrigin("https://localhost:3000", "http://127.0.0.1:3000")).toBe(false);
    expect(sameOrigin("http://localhost.evil.example:3000", "http://127.0.0.1:3000")).toBe(false);
    expect(sameOrigin("null", "http://127.0.0.1:3000")).toBe(false);
  });
});
