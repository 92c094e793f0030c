import { describe, expect, it } from "vitest";
import { childEls, childText, parseXml, toXml } from "./xml";

describe("xml", () => {
  it("parses nested elements with namespaces and entities", () => {
    const doc = parseXml('<?xml version="1.0"?><A xmlns="urn:x"><B>1 &amp; 2</B><C><D>x</D><D>y</D></C><E/></A>');
    expect(doc.name).toBe("A");
    expect(childText(doc, "B")).toBe("1 & 2");
    expect(childEls(doc.children[1], "D").map((d) => d.text)).toEqual(["x", "y"]);
  });

  it("writes ordered, escaped content", () => {
    expect(toXml("R", [["A", "<1>"], ["B", [["C", 2]]]])).toContain("<R><A>&lt;1&gt;</A><B><C>2</C></B></R>");
  });
});
