import { describe, expect, it } from "vitest";
import { formatClaim, parseClaim } from "./ownership";
import { decodeTxt, encodeTxt, fromWire, normalizeName, toWire } from "./wire-format";

describe("TXT values on Route 53's wire", () => {
  it("quotes and escapes, and reads back the same text", () => {
    expect(encodeTxt("heritage=corral,owner=env-1")).toBe('"heritage=corral,owner=env-1"');
    expect(encodeTxt('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(encodeTxt("")).toBe('""');
    for (const text of ['say "hi" \\ bye', "grüße ✓", "tab\there", ""]) expect(decodeTxt(encodeTxt(text))).toBe(text);
  });

  it("splits text longer than 255 bytes into several strings of one value, and joins them when read", () => {
    const long = "a".repeat(300);
    expect(encodeTxt(long)).toBe(`"${"a".repeat(255)}" "${"a".repeat(45)}"`);
    expect(decodeTxt(encodeTxt(long))).toBe(long);
    const multibyte = "é".repeat(200); // 400 bytes: the split falls inside a character's bytes, which stay bytes
    expect(decodeTxt(encodeTxt(multibyte))).toBe(multibyte);
  });

  it("reads Route 53's octal escapes and values written without quotes", () => {
    expect(decodeTxt('"caf\\303\\251"')).toBe("café");
    expect(decodeTxt("plain")).toBe("plain");
    expect(decodeTxt('"a" "b"')).toBe("ab");
  });
});

describe("record sets from and to the wire", () => {
  it("lists names and values in Corral's terms and keeps Route 53's own text for deletes", () => {
    const listed = fromWire({ Name: "\\052.Shop.example.com.", Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: "LB.example.net." }] });
    expect(listed).toEqual({ name: "*.shop.example.com", type: "CNAME", ttl: 60, values: ["lb.example.net"], wireValues: ["LB.example.net."] });
    expect(toWire({ ...listed, type: "CNAME" })).toMatchObject({ ResourceRecords: [{ Value: "LB.example.net." }] });
    expect(normalizeName("WWW.Example.COM.")).toBe("www.example.com");
  });

  it("sends TTL and values for plain records, and only the target for an alias", () => {
    expect(toWire({ name: "a.example.com", type: "TXT", values: ["x y"] })).toEqual({ Name: "a.example.com", Type: "TXT", TTL: 60, ResourceRecords: [{ Value: '"x y"' }] });
    expect(toWire({ name: "a.example.com", type: "A", alias: { dnsName: "lb.example.net", hostedZoneId: "Z1" }, setIdentifier: "blue", weight: 5 })).toEqual({
      Name: "a.example.com",
      Type: "A",
      SetIdentifier: "blue",
      Weight: 5,
      AliasTarget: { DNSName: "lb.example.net", HostedZoneId: "Z1", EvaluateTargetHealth: false },
    });
  });
});

describe("ownership claims", () => {
  it("round-trips, and reads nothing else as a claim", () => {
    const claim = { installation: "corral-prod", owner: "cm0abc", type: "A", setIdentifier: "blue, green=x" };
    expect(parseClaim(formatClaim(claim))).toEqual(claim);
    expect(parseClaim(formatClaim({ installation: "i", owner: "o", type: "CNAME" }))).toEqual({ installation: "i", owner: "o", type: "CNAME" });
    for (const other of ["v=spf1 -all", "heritage=external-dns,external-dns/owner=default", "heritage=corral,installation=i,type=A", "heritage=corral,installation=i,owner=%E0%A4%A,type=A", ""]) {
      expect(parseClaim(other)).toBeUndefined();
    }
  });
});
