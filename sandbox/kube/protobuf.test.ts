import { describe, expect, it } from "vitest";
import { goDuration } from "./proto-json";
import { kubeSchema } from "./proto-schema";
import { decodeKubeProtobuf } from "./protobuf";
import { KubeError } from "./status";

// Bodies kubectl 1.32.4 sent to the sandbox, and what `kubectl create … --dry-run=client -o json`
// printed for the same command: the decoder must give exactly kubectl's JSON.
const fromKubectl = [
  {
    command: "create deployment web --image=nginx:1.27.0 --replicas=0 --port=8080",
    hex: "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412c0010a1f0a0377656212001a0022002a003200380042005a0a0a036170701203776562128e010800120c0a0a0a0361707012037765621a740a1c0a0012001a0022002a003200380042005a0a0a036170701203776562125412360a056e67696e78120c6e67696e783a312e32372e302a00320b0a00100018903f22002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200",
    json: {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name: "web", creationTimestamp: null, labels: { app: "web" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: "web" } },
          spec: { containers: [{ name: "nginx", image: "nginx:1.27.0", ports: [{ containerPort: 8080 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    },
  },
  {
    command: "create service clusterip web --tcp=80:8080",
    hex: "6b3873000a0d0a02763112075365727669636512690a1f0a0377656212001a0022002a003200380042005a0a0a03617070120377656212420a1b0a0738302d38303830120354435018502207080010903f1a002800120a0a0361707012037765621a002209436c757374657249503a00420052005a00600068001a020a001a002200",
    json: {
      kind: "Service",
      apiVersion: "v1",
      metadata: { name: "web", creationTimestamp: null, labels: { app: "web" } },
      spec: { ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }], selector: { app: "web" }, type: "ClusterIP" },
      status: { loadBalancer: {} },
    },
  },
  {
    command: "create poddisruptionbudget pdb1 --selector=app=web --min-available=50%",
    hex: "6b3873000a200a09706f6c6963792f76311213506f6444697372757074696f6e427564676574123d0a140a047064623112001a0022002a0032003800420012190a09080110001a03353025120c0a0a0a0361707012037765621a0a080018002000280030001a002200",
    json: {
      kind: "PodDisruptionBudget",
      apiVersion: "policy/v1",
      metadata: { name: "pdb1", creationTimestamp: null },
      spec: { minAvailable: "50%", selector: { matchLabels: { app: "web" } } },
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    },
  },
  {
    command: "create secret generic sec --from-literal=password=s3cr3t",
    hex: "6b3873000a0c0a0276311206536563726574122b0a130a0373656312001a0022002a0032003800420012120a0870617373776f726412067333637233741a001a002200",
    json: { kind: "Secret", apiVersion: "v1", metadata: { name: "sec", creationTimestamp: null }, data: { password: "czNjcjN0" } },
  },
];

describe("decoding kubectl's protobuf bodies", () => {
  it.each(fromKubectl)("kubectl $command", ({ hex, json }) => {
    expect(decodeKubeProtobuf(Buffer.from(hex, "hex"))).toEqual(json);
  });
});

describe("the types with their own JSON form", () => {
  it("writes IntOrString as a number or a string", () => {
    const obj = decode("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment", {
      spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: { type: 1, strVal: "25%" }, maxUnavailable: { type: 0, intVal: 1 } } } },
    });
    expect(obj.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } });
  });

  it("writes Quantity as its string, in maps", () => {
    const obj = decode("v1", "ResourceQuota", "k8s.io.api.core.v1.ResourceQuota", { spec: { hard: { cpu: { string: "500m" }, memory: { string: "1Gi" } } } });
    expect(obj.spec.hard).toEqual({ cpu: "500m", memory: "1Gi" });
  });

  it("writes Time as RFC 3339 seconds, a zero Time as null, MicroTime with microseconds", () => {
    const meta = { name: "x", creationTimestamp: { seconds: 1_700_000_000, nanos: 999_000_000 }, deletionTimestamp: { seconds: 0 } };
    const obj = decode("coordination.k8s.io/v1", "Lease", "k8s.io.api.coordination.v1.Lease", {
      metadata: meta,
      spec: { holderIdentity: "me", renewTime: { seconds: 1_700_000_001, nanos: 123_456_789 } },
    });
    expect(obj.metadata.creationTimestamp).toBe("2023-11-14T22:13:20Z");
    // A Time sent with its seconds set to 0 is the Unix epoch; one sent empty is Go's zero time.
    expect(obj.metadata.deletionTimestamp).toBe("1970-01-01T00:00:00Z");
    expect(obj.spec.renewTime).toBe("2023-11-14T22:13:21.123456Z");
    const empty = decode("coordination.k8s.io/v1", "Lease", "k8s.io.api.coordination.v1.Lease", { metadata: { name: "x", creationTimestamp: {} } });
    expect(empty.metadata.creationTimestamp).toBeNull();
  });

  it("writes bytes as base64, in a map and beside a string map", () => {
    const obj = decode("v1", "ConfigMap", "k8s.io.api.core.v1.ConfigMap", {
      metadata: { name: "cfg", labels: { app: "web", tier: "front" } },
      data: { plain: "text" },
      binaryData: { blob: Buffer.from([0, 1, 2, 255]) },
    });
    expect(obj.metadata.labels).toEqual({ app: "web", tier: "front" });
    expect(obj.data).toEqual({ plain: "text" });
    expect(obj.binaryData).toEqual({ blob: "AAEC/w==" });
  });

  it("writes repeated messages in order, inlines embedded structs and renames fields as Go's JSON tags say", () => {
    const obj = decode("v1", "Pod", "k8s.io.api.core.v1.Pod", {
      metadata: { name: "p", generation: 3 },
      spec: {
        containers: [
          { name: "a", image: "shop/a:1", readinessProbe: { handler: { httpGet: { path: "/ready", port: { type: 1, strVal: "http" } } }, periodSeconds: 5 } },
          { name: "b", image: "shop/b:1", stdin: false },
        ],
        volumes: [{ name: "scratch", volumeSource: { emptyDir: {} } }],
      },
    });
    expect(obj.metadata.generation).toBe(3);
    expect(obj.spec.containers.map((c: { name: string }) => c.name)).toEqual(["a", "b"]);
    expect(obj.spec.containers[0].readinessProbe).toEqual({ httpGet: { path: "/ready", port: "http" }, periodSeconds: 5 });
    // stdin is an omitempty bool, so false is left out, as kubectl's JSON leaves it out.
    expect(obj.spec.containers[1]).toEqual({ name: "b", image: "shop/b:1", resources: {} });
    expect(obj.spec.volumes).toEqual([{ name: "scratch", emptyDir: {} }]);

    const ingressClass = decode("networking.k8s.io/v1", "IngressClass", "k8s.io.api.networking.v1.IngressClass", {
      metadata: { name: "nginx" },
      spec: { controller: "k8s.io/ingress-nginx", parameters: { aPIGroup: "k8s.example.com", kind: "Params", name: "p" } },
    });
    expect(ingressClass.spec.parameters).toEqual({ apiGroup: "k8s.example.com", kind: "Params", name: "p" });
  });

  it("keeps a pointer set to zero and drops an omitempty zero", () => {
    const obj = decode("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment", { spec: { replicas: 0, minReadySeconds: 0, paused: false, revisionHistoryLimit: 0 } });
    expect(obj.spec).toMatchObject({ replicas: 0, revisionHistoryLimit: 0 });
    expect(obj.spec).not.toHaveProperty("minReadySeconds");
    expect(obj.spec).not.toHaveProperty("paused");
  });

  it("writes named lists (ExtraValue) as arrays", () => {
    const obj = decode("authentication.k8s.io/v1", "TokenReview", "k8s.io.api.authentication.v1.TokenReview", {
      status: { authenticated: true, user: { username: "alice", extra: { scopes: { items: ["read", "write"] } } } },
    });
    expect(obj.status.user).toEqual({ username: "alice", extra: { scopes: ["read", "write"] } });
  });

  it("embeds RawExtension and FieldsV1 as JSON, and a RawExtension holding protobuf as the object", () => {
    const fields = { "f:metadata": { "f:labels": { "f:app": {} } } };
    const nestedSecret = Buffer.from(fromKubectl[3]?.hex ?? "", "hex");
    const obj = decode("apps/v1", "ControllerRevision", "k8s.io.api.apps.v1.ControllerRevision", {
      metadata: { name: "rev", managedFields: [{ manager: "kubectl", operation: "Update", fieldsType: "FieldsV1", fieldsV1: { Raw: Buffer.from(JSON.stringify(fields)) } }] },
      data: { raw: Buffer.from(JSON.stringify({ spec: { replicas: 2 } })) },
      revision: 4,
    });
    expect(obj.metadata.managedFields[0].fieldsV1).toEqual(fields);
    expect(obj.data).toEqual({ spec: { replicas: 2 } });
    expect(obj.revision).toBe(4);
    const nested = decode("apps/v1", "ControllerRevision", "k8s.io.api.apps.v1.ControllerRevision", { metadata: { name: "rev" }, data: { raw: nestedSecret } });
    expect(nested.data).toEqual(fromKubectl[3]?.json);
  });

  it("reads DeleteOptions sent under any group version, as every group version registers them", () => {
    const obj = decode("apps/v1", "DeleteOptions", "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions", {
      gracePeriodSeconds: 0,
      preconditions: { resourceVersion: "42" },
      propagationPolicy: "Foreground",
    });
    expect(obj).toEqual({ apiVersion: "apps/v1", kind: "DeleteOptions", gracePeriodSeconds: 0, preconditions: { resourceVersion: "42" }, propagationPolicy: "Foreground" });
  });

  it("formats Duration as Go does", () => {
    expect(goDuration(0n)).toBe("0s");
    expect(goDuration(150_000_000n)).toBe("150ms");
    expect(goDuration(1_500n)).toBe("1.5µs");
    expect(goDuration(90_000_000_000n)).toBe("1m30s");
    expect(goDuration(3_600_000_000_000n)).toBe("1h0m0s");
    expect(goDuration(-2_500_000_000n)).toBe("-2.5s");
  });
});

describe("what it refuses", () => {
  it("answers 415 naming a kind it has no definition for", () => {
    expect(statusOf(() => decodeKubeProtobuf(envelope("example.com/v1", "Widget", Buffer.alloc(0))))).toEqual([415, expect.stringContaining("Widget (example.com/v1)")]);
    expect(statusOf(() => decodeKubeProtobuf(envelope("apps/v1beta1", "Deployment", Buffer.alloc(0))))[0]).toBe(415);
    // A message that is not an object (no metadata) is not a kind.
    expect(statusOf(() => decodeKubeProtobuf(envelope("v1", "Container", Buffer.alloc(0))))[0]).toBe(415);
  });

  it("answers 400 for a body without the envelope or cut short", () => {
    expect(statusOf(() => decodeKubeProtobuf(Buffer.from("{}")))[0]).toBe(400);
    const whole = Buffer.from(fromKubectl[0]?.hex ?? "", "hex");
    expect(statusOf(() => decodeKubeProtobuf(whole.subarray(0, whole.length - 40)))[0]).toBe(400);
  });
});

function decode(apiVersion: string, kind: string, typeName: string, object: Record<string, unknown>): any {
  const type = kubeSchema().root.lookupType(typeName);
  return decodeKubeProtobuf(envelope(apiVersion, kind, Buffer.from(type.encode(type.fromObject(object)).finish())));
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const unknown = kubeSchema().unknown;
  const body = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([Buffer.from("k8s\0", "latin1"), body]);
}

function statusOf(f: () => unknown): [number, string] {
  try {
    f();
  } catch (err) {
    if (err instanceof KubeError) return [err.code, err.message];
    throw err;
  }
  throw new Error("expected a KubeError");
}
