import protobuf from "protobufjs";
import type { GoField, KubeSchema } from "./proto-schema";

type Fields = Record<string, unknown>;

/** Decodes a nested object held in a RawExtension as protobuf (a `k8s\0` envelope). */
export type NestedDecoder = (raw: Buffer) => unknown;

const pkg = "k8s.io.apimachinery.pkg";
const special: Record<string, (m: Fields, nested: NestedDecoder) => unknown> = {
  [`${pkg}.util.intstr.IntOrString`]: (m) => (toNumber(m["type"]) === 1 ? str(m["strVal"]) : toNumber(m["intVal"])),
  // Go writes a zero Quantity as "0"; the wire carries the canonical string.
  [`${pkg}.api.resource.Quantity`]: (m) => str(m["string"]) || "0",
  [`${pkg}.api.resource.QuantityValue`]: (m) => str(m["string"]) || "0",
  // A zero Time is sent as an empty message and written as null; JSON keeps whole seconds.
  [`${pkg}.apis.meta.v1.Time`]: (m) => (isEmpty(m) ? null : rfc3339(toNumber(m["seconds"]), 0, 0)),
  [`${pkg}.apis.meta.v1.MicroTime`]: (m) => (isEmpty(m) ? null : rfc3339(toNumber(m["seconds"]), toNumber(m["nanos"]), 6)),
  [`${pkg}.apis.meta.v1.Duration`]: (m) => goDuration(toBigInt(m["duration"])),
  [`${pkg}.apis.meta.v1.FieldsV1`]: (m, nested) => rawJson(m["Raw"], nested),
  [`${pkg}.runtime.RawExtension`]: (m, nested) => rawJson(m["raw"], nested),
};

/**
 * Turns a decoded message into the JSON the API server would write for the same Go object:
 * JSON names, Go's omitempty rules (a pointer set to 0 stays, an omitempty 0 goes, a struct is
 * always written), inlined structs merged into their parent, and the types with their own JSON
 * form (IntOrString, Quantity, Time, MicroTime, Duration, RawExtension, bytes as base64).
 * Go writes null for a nil non-omitempty pointer, slice or map; null says no more than absence
 * does, so those are left out.
 */
export function messageToJson(schema: KubeSchema, type: protobuf.Type, message: protobuf.Message | Fields, nested: NestedDecoder): unknown {
  const m = message as Fields;
  const plan = planOf(schema, type);
  if (plan.special) return plan.special(m, nested);
  if (plan.list) return ((m["items"] as unknown[] | undefined) ?? []).map((v) => scalarToJson(v));
  const out: Fields = {};
  for (const f of plan.fields) {
    const value = m[f.name];
    const present = value !== undefined && value !== null && Object.prototype.hasOwnProperty.call(m, f.name);
    let json: unknown;
    if (f.form === "map") {
      const entries = present ? Object.entries(value as Fields) : [];
      if (entries.length === 0) continue;
      const map: Fields = {};
      for (const [k, v] of entries) map[k] = elementToJson(schema, f, v, nested);
      json = map;
    } else if (f.form === "list") {
      const items = present ? (value as unknown[]) : [];
      if (items.length === 0) continue;
      const list: unknown[] = [];
      for (const v of items) list.push(elementToJson(schema, f, v, nested));
      json = list;
    } else if (f.form === "pointer") {
      if (!present) continue;
      json = elementToJson(schema, f, value, nested);
    } else if (f.form === "struct") {
      json = messageToJson(schema, f.sub as protobuf.Type, present ? (value as Fields) : {}, nested);
    } else {
      json = scalarToJson(present ? value : f.zero);
      if (f.omitEmpty && isZero(json)) continue;
    }
    if (f.inline && json && typeof json === "object" && !Array.isArray(json)) Object.assign(out, json);
    else out[f.json] = json;
  }
  return out;
}

// Not a closure in the loop above: one made per field was most of the cost (tsx names each one).
function elementToJson(schema: KubeSchema, f: FieldPlan, v: unknown, nested: NestedDecoder): unknown {
  return f.sub ? messageToJson(schema, f.sub, v as Fields, nested) : scalarToJson(v);
}

interface FieldPlan {
  name: string;
  json: string;
  /** pointer: written exactly when sent (so are fields whose Go form is unknown); struct: a Go
   *  struct that is not a pointer always exists, so it is always written; scalar: written unless
   *  omitempty and zero. */
  form: "map" | "list" | "pointer" | "struct" | "scalar";
  sub?: protobuf.Type;
  omitEmpty: boolean;
  inline: boolean;
  zero: unknown;
}

interface TypePlan {
  special?: (m: Fields, nested: NestedDecoder) => unknown;
  list: boolean;
  fields: FieldPlan[];
}

const plans = new WeakMap<protobuf.Type, TypePlan>();

/** What to do with each field of a type, worked out once per type. */
function planOf(schema: KubeSchema, type: protobuf.Type): TypePlan {
  const known = plans.get(type);
  if (known) return known;
  const go = schema.goFields(type);
  const plan: TypePlan = {
    special: special[type.fullName.replace(/^\./, "")],
    list: schema.isList(type),
    fields: type.fieldsArray.map((field) => {
      const info: GoField | undefined = go ? (go[field.name] ?? {}) : undefined;
      const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
      const form = field.map ? "map" : field.repeated ? "list" : !info || info.p ? "pointer" : sub ? "struct" : "scalar";
      return { name: field.name, json: info?.j ?? field.name, form, sub, omitEmpty: info?.o === 1, inline: info?.i === 1, zero: zeroOf(field.type) };
    }),
  };
  plans.set(type, plan);
  return plan;
}

function scalarToJson(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
  if (isLong(v)) return Number(longToBigInt(v));
  return v;
}

function zeroOf(protoType: string): unknown {
  if (protoType === "string") return "";
  if (protoType === "bool") return false;
  if (protoType === "bytes") return new Uint8Array();
  return 0;
}

function isZero(v: unknown): boolean {
  return v === "" || v === 0 || v === false;
}

function isEmpty(m: Fields): boolean {
  return Object.keys(m).every((k) => m[k] === undefined || m[k] === null);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (isLong(v)) return Number(longToBigInt(v));
  return 0;
}

function toBigInt(v: unknown): bigint {
  if (typeof v === "number") return BigInt(v);
  if (isLong(v)) return longToBigInt(v);
  return 0n;
}

/** protobufjs reads 64-bit integers as Long objects (low and high 32 bits). */
function isLong(v: unknown): v is protobuf.Long {
  return typeof v === "object" && v !== null && typeof (v as protobuf.Long).low === "number" && typeof (v as protobuf.Long).high === "number";
}

function longToBigInt(v: protobuf.Long): bigint {
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return v.unsigned ? bits : BigInt.asIntN(64, bits);
}

/** RawExtension and FieldsV1 hold JSON (or, for RawExtension, a nested protobuf object) as bytes. */
function rawJson(raw: unknown, nested: NestedDecoder): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return null;
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (buf.subarray(0, 4).toString("latin1") === "k8s\0") return nested(buf);
  return JSON.parse(buf.toString("utf8"));
}

/** RFC 3339 in UTC as Go's metav1.Time (whole seconds) and MicroTime (6 digits) write it. */
export function rfc3339(seconds: number, nanos: number, digits: 0 | 6): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (digits === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z`;
}

/** time.Duration.String(): "1h2m3.5s", "1m0s", "150ms", "0s". */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const sign = ns < 0n ? "-" : "";
  let u = ns < 0n ? -ns : ns;
  if (u < 1_000_000_000n) {
    const [unit, scale] = u < 1_000n ? ["ns", 1n] : u < 1_000_000n ? ["µs", 1_000n] : ["ms", 1_000_000n];
    return `${sign}${fraction(u, scale)}${unit}`;
  }
  const hours = u / 3_600_000_000_000n;
  u %= 3_600_000_000_000n;
  const minutes = u / 60_000_000_000n;
  u %= 60_000_000_000n;
  const h = hours > 0n ? `${hours}h` : "";
  const m = hours > 0n || minutes > 0n ? `${minutes}m` : "";
  return `${sign}${h}${m}${fraction(u, 1_000_000_000n)}s`;
}

function fraction(v: bigint, scale: bigint): string {
  const whole = v / scale;
  const rest = v % scale;
  if (rest === 0n) return String(whole);
  const digits = String(rest).padStart(String(scale).length - 1, "0").replace(/0+$/, "");
  return `${whole}.${digits}`;
}
