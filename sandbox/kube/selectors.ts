import { KubeError } from "./status";

type LabelRequirement =
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!exists"; key: string };

export type Matcher = (labels: Record<string, string> | undefined) => boolean;

/** Parses a Kubernetes label selector (equality and set-based forms). */
export function parseLabelSelector(text: string | null | undefined): Matcher {
  if (!text || !text.trim()) return () => true;
  const reqs = splitTopLevel(text).map(parseRequirement);
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

function parseRequirement(raw: string): LabelRequirement {
  const s = raw.trim();
  const set = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(s);
  if (set) {
    const values = (set[3] ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");
    return { op: set[2] as "in" | "notin", key: set[1] ?? "", values };
  }
  const eq = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(s);
  if (eq) return { op: eq[2] === "!=" ? "!=" : "=", key: eq[1] ?? "", value: eq[3] ?? "" };
  if (/^![^\s!=]+$/.test(s)) return { op: "!exists", key: s.slice(1) };
  if (/^[^\s!=(),]+$/.test(s)) return { op: "exists", key: s };
  throw new KubeError(400, "BadRequest", `unable to parse requirement: ${s}`);
}

function matches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const v = labels[r.key];
  switch (r.op) {
    case "=":
      return v === r.value;
    case "!=":
      return v !== r.value;
    case "in":
      return v !== undefined && r.values.includes(v);
    case "notin":
      return v === undefined || !r.values.includes(v);
    case "exists":
      return v !== undefined;
    case "!exists":
      return v === undefined;
  }
}

/** Splits on commas that are not inside a set's parentheses. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

export type ObjectMatcher = (obj: unknown) => boolean;

/** Parses a field selector; any dotted path is compared as a string, as for the fields the API indexes. */
export function parseFieldSelector(text: string | null | undefined): ObjectMatcher {
  if (!text || !text.trim()) return () => true;
  const reqs = text.split(",").map((raw) => {
    const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (!m) throw new KubeError(400, "BadRequest", `invalid selector: '${text}'; can't understand '${raw}'`);
    return { path: (m[1] ?? "").split("."), negate: m[2] === "!=", value: m[3] ?? "" };
  });
  return (obj) =>
    reqs.every((r) => {
      const v = fieldValue(obj, r.path);
      return r.negate ? v !== r.value : v === r.value;
    });
}

function fieldValue(obj: unknown, path: string[]): string {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return "";
  return typeof cur === "string" ? cur : JSON.stringify(cur);
}
