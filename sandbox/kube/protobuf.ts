import { messageToJson } from "./proto-json";
import { kubeSchema } from "./proto-schema";
import { KubeError } from "./status";

/**
 * kubectl 1.32+ sends typed writes (`kubectl create deployment`, `create service`…) as
 * application/vnd.kubernetes.protobuf: a `k8s\0` prefix, then a runtime.Unknown naming the
 * apiVersion and kind around the object's own bytes. The object is decoded with the published
 * Kubernetes 1.32 definitions (proto/kubernetes-1.32.json, see scripts/generate-kube-proto.ts)
 * and turned into the JSON the rest of the sandbox stores. Kinds outside those definitions get
 * a 415 that names them.
 */
const magic = Buffer.from("k8s\0", "latin1");
// A RawExtension may hold another protobuf object; real objects nest one or two deep.
const maxNesting = 8;

export function isKubeProtobuf(contentType: string): boolean {
  return contentType.startsWith("application/vnd.kubernetes.protobuf");
}

export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  return decode(body, 0);
}

function decode(body: Buffer, depth: number): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(magic)) throw new KubeError(400, "BadRequest", "protobuf body without the k8s envelope");
  if (depth > maxNesting) throw new KubeError(400, "BadRequest", "protobuf objects nested too deeply");
  const schema = kubeSchema();
  const unknown = parse(() => schema.unknown.decode(body.subarray(4))) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array; contentEncoding?: string };
  const apiVersion = unknown.typeMeta?.apiVersion ?? "";
  const kind = unknown.typeMeta?.kind ?? "";
  if (unknown.contentEncoding) throw new KubeError(415, "UnsupportedMediaType", `the sandbox cannot read protobuf with content encoding ${unknown.contentEncoding}; send it unencoded or as application/json`);
  const type = schema.kindType(apiVersion, kind);
  if (!type) {
    throw new KubeError(
      415,
      "UnsupportedMediaType",
      `the sandbox cannot decode ${kind || "an object without a kind"} (${apiVersion || "no apiVersion"}) from protobuf: it is not a kind in the Kubernetes ${schema.kubernetes} definitions the sandbox carries; send application/json`,
    );
  }
  const message = parse(() => type.decode(unknown.raw ?? new Uint8Array()));
  const object = parse(() => messageToJson(schema, type, message, (raw) => decode(raw, depth + 1))) as Record<string, unknown>;
  return { apiVersion, kind, ...object };
}

function parse<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof KubeError) throw err;
    throw new KubeError(400, "BadRequest", `error decoding protobuf body: ${err instanceof Error ? err.message : String(err)}`);
  }
}
