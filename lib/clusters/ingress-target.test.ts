import { describe, expect, it } from "vitest";
import { formatIngressTarget, parseIngressTarget, recordsFor, recordTypeOf } from "./ingress-target";

describe("ingress targets", () => {
  it("reads a host name, addresses and a load balancer alias, and nothing else", () => {
    expect(parseIngressTarget("Ingress.EU.example.com.")).toEqual({ kind: "cname", host: "ingress.eu.example.com" });
    expect(parseIngressTarget("10.0.0.5, 2001:db8::1,10.0.0.6")).toEqual({ kind: "addresses", v4: ["10.0.0.5", "10.0.0.6"], v6: ["2001:db8::1"] });
    expect(parseIngressTarget("alias:Z35SXDOTRQ7X7K/my-lb-123.eu-west-1.elb.amazonaws.com")).toEqual({
      kind: "alias",
      hostedZoneId: "Z35SXDOTRQ7X7K",
      dnsName: "my-lb-123.eu-west-1.elb.amazonaws.com",
    });
    for (const bad of ["not a host", "10.0.0.1, nope", "alias:bad id/x.example.com", "999.1.1.1", ""]) expect(parseIngressTarget(bad), bad).toBeNull();
  });

  it("points a name at it with the records each form needs", () => {
    const name = "web.qa-1.envs.example.com";
    expect(recordsFor(name, parseIngressTarget("ingress.example.com")!)).toEqual([{ name, type: "CNAME", ttl: 60, values: ["ingress.example.com"] }]);
    expect(recordsFor(name, parseIngressTarget("10.0.0.5,2001:db8::1")!).map((r) => r.type)).toEqual(["A", "AAAA"]);
    expect(recordsFor(name, parseIngressTarget("alias:Z1/lb.example.com")!)).toEqual([
      { name, type: "A", alias: { dnsName: "lb.example.com", hostedZoneId: "Z1", evaluateTargetHealth: false } },
    ]);
    expect(["ingress.example.com", "10.0.0.5,2001:db8::1", "alias:Z1/lb.example.com"].map((t) => recordTypeOf(parseIngressTarget(t)!))).toEqual(["CNAME", "A+AAAA", "alias"]);
    expect(formatIngressTarget(parseIngressTarget(" 10.0.0.5 ,10.0.0.6")!)).toBe("10.0.0.5, 10.0.0.6");
  });
});
