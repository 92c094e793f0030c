import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "./schemas";
import { isPrivateAddress, privateTargetProblem } from "./target-address";

describe("where webhooks may go", () => {
  it("knows private, loopback and link-local addresses, in both families and IPv4-mapped", () => {
    for (const ip of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe"]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ["8.8.8.8", "172.32.0.1", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(isPrivateAddress(ip), ip).toBe(false);
    expect(isPrivateAddress("example.com")).toBe(false);
  });

  it("takes public http(s) URLs", () => {
    for (const url of ["https://ci.example.com/hooks/corral", "http://203.0.113.7:8080/x?y=1"]) {
      expect(webhookUrlProblem(url)).toBeNull();
      expect(privateTargetProblem(url)).toBeNull();
    }
  });

  it("refuses other schemes, credentials in the URL and fragments", () => {
    expect(webhookUrlProblem("ftp://example.com/x")).toMatch(/Only http/);
    expect(webhookUrlProblem("file:///etc/passwd")).toMatch(/Only http/);
    expect(webhookUrlProblem("javascript:alert(1)")).toMatch(/Only http/);
    expect(webhookUrlProblem("https://user:pw@example.com/")).toMatch(/no user name or password/);
    expect(webhookUrlProblem("https://example.com/#x")).toMatch(/fragment/);
    expect(webhookUrlProblem("not a url")).toMatch(/full URL/);
  });

  it("refuses loopback and private addresses, however they are written", () => {
    for (const url of ["http://127.0.0.1:3000/", "http://localhost/", "http://api.localhost/", "http://[::1]/", "http://2130706433/", "http://0x7f.1/", "http://169.254.169.254/latest/meta-data", "http://[::ffff:10.0.0.1]/", "http://LOCALHOST./"]) {
      expect(privateTargetProblem(url), url).toMatch(/private or loopback/);
    }
  });
});
