import { KubeError } from "./status";

/**
 * kubectl 1.32+ sends typed writes (e.g. `kubectl create namespace`) as protobuf. Decoding every
 * kind would need the generated schemas, so only the kinds kubectl's typed commands create are
 * decoded, and only the fields those commands set; anything else gets a 415.
 */
type Schema = { [field: number]: [name: string, kind: "string" | "int" | "bool" | "map" | Schema | [Schema]] };

const objectMeta: Schema = { 1: ["name", "string"], 2: ["generateName", "string"], 3: ["namespace", "string"], 11: ["labels", "map"], 12: ["annotations", "map"] };
const schemas: Record<string, Schema> = {
  Namespace: { 1: ["metadata", objectMeta] },
  ConfigMap: { 1: ["metadata", objectMeta], 2: ["data", "map"] },
  Secret: { 1: ["metadata", objectMeta], 2: ["data", "map"], 3: ["type", "string"], 4: ["stringData", "map"] },
  ServiceAccount: { 1: ["metadata", objectMeta] },
};

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export function isKubeProtobuf(contentType: string): boolean {
  return contentType.startsWith("application/vnd.kubernetes.protobuf");
}

export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(magic)) throw new KubeError(400, "BadRequest", "protobuf body without the k8s envelope");
  const unknown = readMessage(body.subarray(4));
  const typeMeta = readMessage(firstBytes(unknown, 1) ?? Buffer.alloc(0));
  const apiVersion = firstBytes(typeMeta, 1)?.toString("utf8") ?? "";
  const kind = firstBytes(typeMeta, 2)?.toString("utf8") ?? "";
  const schema = schemas[kind];
  if (!schema) throw new KubeError(415, "UnsupportedMediaType", `the sandbox cannot decode ${kind} from protobuf; send application/json`);
  return { apiVersion, kind, ...decodeWith(schema, firstBytes(unknown, 2) ?? Buffer.alloc(0)) };
}

type Fields = Map<number, (Buffer | number)[]>;

function decodeWith(schema: Schema, buf: Buffer): Record<string, unknown> {
  const fields = readMessage(buf);
  const out: Record<string, unknown> = {};
  for (const [num, values] of fields) {
    const def = schema[num];
    if (!def) continue;
    const [name, kind] = def;
    if (kind === "string") out[name] = (values[values.length - 1] as Buffer).toString("utf8");
    else if (kind === "int") out[name] = values[values.length - 1];
    else if (kind === "bool") out[name] = values[values.length - 1] === 1;
    else if (kind === "map") {
      const map: Record<string, string> = {};
      for (const entry of values) {
        const e = readMessage(entry as Buffer);
        map[firstBytes(e, 1)?.toString("utf8") ?? ""] = firstBytes(e, 2)?.toString("utf8") ?? "";
      }
      out[name] = map;
    } else if (Array.isArray(kind)) out[name] = values.map((v) => decodeWith(kind[0], v as Buffer));
    else out[name] = decodeWith(kind, values[values.length - 1] as Buffer);
  }
  return out;
}

function firstBytes(fields: Fields, n: number): Buffer | undefined {
  const v = fields.get(n)?.[0];
  return Buffer.isBuffer(v) ? v : undefined;
}

function readMessage(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new KubeError(400, "BadRequest", "truncated protobuf");
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Buffer | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) {
      value = Number(buf.readBigUInt64LE(pos));
      pos += 8;
    } else if (wire === 5) {
      value = buf.readUInt32LE(pos);
      pos += 4;
    } else throw new KubeError(400, "BadRequest", `unsupported protobuf wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}
