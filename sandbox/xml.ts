export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** Parses the simple XML the AWS APIs send (elements and text; attributes, comments and PIs skipped). */
export function parseXml(src: string): XmlElement {
  const root: XmlElement = { name: "#document", children: [], text: "" };
  const stack: XmlElement[] = [root];
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    const top = stack[stack.length - 1];
    if (!top) throw new Error("malformed XML");
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      if (localName(m[2]) !== top.name) throw new Error(`malformed XML: unexpected </${m[2]}>`);
      stack.pop();
    } else if (m[3] !== undefined) {
      const el: XmlElement = { name: localName(m[3]), children: [], text: "" };
      top.children.push(el);
      if (m[5] !== "/") stack.push(el);
    } else if (m[6] !== undefined) top.text += decodeEntities(m[6]);
  }
  if (stack.length !== 1) throw new Error("malformed XML: unclosed element");
  const first = root.children[0];
  if (!first) throw new Error("empty XML document");
  return first;
}

function localName(n: string): string {
  const i = n.indexOf(":");
  return i >= 0 ? n.slice(i + 1) : n;
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "amp") return "&";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    return String.fromCodePoint(e.startsWith("#x") ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

export function childEl(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function childEls(el: XmlElement | undefined, name: string): XmlElement[] {
  return el?.children.filter((c) => c.name === name) ?? [];
}

export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = childEl(el, name);
  return c ? c.text.trim() : undefined;
}

/** Ordered element content: a scalar, or a list of [name, content] pairs (names may repeat). */
export type XmlContent = string | number | boolean | undefined | XmlPair[];
export type XmlPair = [string, XmlContent];

export function toXml(root: string, content: XmlContent, xmlns?: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, content, xmlns)}`;
}

function element(name: string, content: XmlContent, xmlns?: string): string {
  const attr = xmlns ? ` xmlns="${xmlns}"` : "";
  if (content === undefined) return "";
  if (Array.isArray(content)) return `<${name}${attr}>${content.map(([n, c]) => element(n, c)).join("")}</${name}>`;
  return `<${name}${attr}>${escapeXml(String(content))}</${name}>`;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
