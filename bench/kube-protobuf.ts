import { writeFile } from "node:fs/promises";
import path from "node:path";
import { kubeSchema } from "../sandbox/kube/proto-schema";
import { decodeKubeProtobuf } from "../sandbox/kube/protobuf";

// What decoding kubectl's protobuf bodies costs the sandbox: a Deployment decoded from protobuf
// into Kubernetes JSON, against JSON.parse of the same object's JSON (what a JSON client costs).
// Also the one-time cost of loading the schema on the first protobuf body.
const iterations = Number(process.env["BENCH_ITERATIONS"] ?? 20_000);

const container = (name: string) => ({
  name,
  image: `shop/${name}:1.4.2`,
  ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
  env: [
    { name: "LOG_LEVEL", value: "info" },
    { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { localObjectReference: { name: "db" }, key: "password" } } },
  ],
  resources: { limits: { cpu: { string: "500m" }, memory: { string: "256Mi" } }, requests: { cpu: { string: "100m" }, memory: { string: "128Mi" } } },
  readinessProbe: { handler: { httpGet: { path: "/ready", port: { type: 1, strVal: "http" } } }, periodSeconds: 5, failureThreshold: 3 },
  livenessProbe: { handler: { tcpSocket: { port: { type: 0, intVal: 8080 } } }, initialDelaySeconds: 10 },
  imagePullPolicy: "IfNotPresent",
});

const deployment = {
  metadata: {
    name: "api",
    namespace: "env-checkout-42",
    labels: { app: "api", "corral.dev/environment": "checkout-42", "corral.dev/managed-by": "corral" },
    annotations: { "corral.dev/template": "shop", "corral.dev/revision": "7" },
    creationTimestamp: {},
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "api" } },
    template: {
      metadata: { labels: { app: "api", "corral.dev/environment": "checkout-42" }, creationTimestamp: {} },
      spec: { containers: [container("api"), container("worker")], terminationGracePeriodSeconds: 30, restartPolicy: "Always" },
    },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: { type: 1, strVal: "25%" }, maxUnavailable: { type: 0, intVal: 0 } } },
    revisionHistoryLimit: 10,
  },
};

function main(): void {
  const loadStarted = performance.now();
  const schema = kubeSchema();
  const loadMs = performance.now() - loadStarted;

  const type = schema.root.lookupType("k8s.io.api.apps.v1.Deployment");
  const raw = type.encode(type.fromObject(deployment)).finish();
  const envelope = schema.unknown.encode(schema.unknown.fromObject({ typeMeta: { apiVersion: "apps/v1", kind: "Deployment" }, raw })).finish();
  const body = Buffer.concat([Buffer.from("k8s\0", "latin1"), envelope]);
  const json = JSON.stringify(decodeKubeProtobuf(body));

  // Warm up both so the JIT state is comparable, then time them alternately in rounds.
  let sink = 0;
  for (let i = 0; i < 2000; i++) sink += Object.keys(decodeKubeProtobuf(body)).length + Object.keys(JSON.parse(json) as object).length;
  let protobufMs = 0;
  let jsonMs = 0;
  for (let round = 0; round < 10; round++) {
    let t = performance.now();
    for (let i = 0; i < iterations / 10; i++) sink += Object.keys(decodeKubeProtobuf(body)).length;
    protobufMs += performance.now() - t;
    t = performance.now();
    for (let i = 0; i < iterations / 10; i++) sink += Object.keys(JSON.parse(json) as object).length;
    jsonMs += performance.now() - t;
  }
  if (sink === 0) throw new Error("nothing decoded");

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    deployment: { protobufBytes: body.length, jsonBytes: Buffer.byteLength(json), containers: 2 },
    iterations,
    schemaLoadMs: round(loadMs),
    protobufMicrosPerDecode: round((protobufMs * 1000) / iterations),
    jsonParseMicros: round((jsonMs * 1000) / iterations),
    ratio: round(protobufMs / jsonMs),
  };
  console.log(JSON.stringify(result, null, 2));
  void writeFile(path.resolve("bench", "results", "kube-protobuf.json"), JSON.stringify(result, null, 2) + "\n");
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main();
