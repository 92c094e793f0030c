// Regenerates sandbox/kube/proto/kubernetes-1.32.json, the schema the sandbox decodes kubectl's
// protobuf bodies with, from the published Kubernetes definitions:
//
//   npx tsx scripts/generate-kube-proto.ts            # downloads Debian's packages (see below)
//   npx tsx scripts/generate-kube-proto.ts --from DIR # DIR holds k8s.io/api and k8s.io/apimachinery
//
// The source is Debian trixie's golang-k8s-api-dev 0.32.3-1 and golang-k8s-apimachinery-dev
// 0.32.3-2 (Kubernetes 1.32.3, the version the sandbox reports), which ship the upstream
// generated.proto files and Go types. They are fetched with apt-get through a private apt
// configuration under a temporary directory, so the machine's own sources are left alone.
//
// Two things go into the JSON: the protobufjs descriptor of every stable (v1, v2) API group plus
// the apimachinery types they import, and, read from the Go struct tags, how each field is written
// as JSON (pointer or not, omitempty, inlined, renamed). The wire format alone cannot tell a
// pointer set to 0 (kept in JSON) from an omitempty int that is 0 (dropped), and both are sent.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import protobuf from "protobufjs";

const kubernetesVersion = "1.32.3";
const debs = ["golang-k8s-api-dev=0.32.3-1", "golang-k8s-apimachinery-dev=0.32.3-2"];
const suite = "trixie";
const apimachinery = ["pkg/apis/meta/v1", "pkg/runtime", "pkg/runtime/schema", "pkg/api/resource", "pkg/util/intstr"];
const out = path.resolve(import.meta.dirname, "..", "sandbox", "kube", "proto", "kubernetes-1.32.json");

/** How a Go struct field is written as JSON: p pointer, o omitempty, i inlined; j the JSON name where it differs. */
type GoField = { p?: 1; o?: 1; i?: 1; j?: string };

function main(): void {
  const fromArg = process.argv.indexOf("--from");
  const work = fromArg > 0 ? undefined : mkdtempSync(path.join(tmpdir(), "kube-proto-"));
  try {
    const src = fromArg > 0 ? path.resolve(process.argv[fromArg + 1] ?? ".") : fetchDebian(work ?? "");
    generate(src);
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
}

function fetchDebian(work: string): string {
  const apt = path.join(work, "apt");
  const sources = path.join(apt, "sources.list");
  mkdirSync(path.join(apt, "lists", "partial"), { recursive: true });
  mkdirSync(path.join(apt, "cache", "archives", "partial"), { recursive: true });
  writeFileSync(sources, `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian ${suite} main\n`);
  const options = [
    `-o`, `Dir::Etc::sourcelist=${sources}`,
    `-o`, `Dir::Etc::sourceparts=-`,
    `-o`, `Dir::State::Lists=${path.join(apt, "lists")}`,
    `-o`, `Dir::Cache=${path.join(apt, "cache")}`,
  ];
  execFileSync("apt-get", [...options, "update"], { stdio: "inherit" });
  execFileSync("apt-get", [...options, "download", ...debs], { cwd: work, stdio: "inherit" });
  const root = path.join(work, "root");
  for (const deb of readdirSync(work).filter((f) => f.endsWith(".deb"))) execFileSync("dpkg-deb", ["-x", path.join(work, deb), root]);
  return path.join(root, "usr", "share", "gocode", "src");
}

function generate(src: string): void {
  const apiDir = path.join(src, "k8s.io", "api");
  const packages = [
    ...readdirSync(apiDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(path.join(apiDir, d.name)).filter((v) => /^v\d+$/.test(v)).map((v) => `k8s.io/api/${d.name}/${v}`)),
    ...apimachinery.map((p) => `k8s.io/apimachinery/${p}`),
  ]
    .filter((p) => existsSync(path.join(src, p, "generated.proto")))
    .sort();

  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(src, target);
  root.loadSync(packages.map((p) => `${p}/generated.proto`), { keepCase: true });
  root.resolveAll();

  const groups: Record<string, string> = {};
  const go: Record<string, Record<string, GoField>> = {};
  const lists: string[] = [];
  for (const pkg of packages) {
    const protoPackage = pkg.replaceAll("/", ".").replace(/^k8s\.io\./, "k8s.io.");
    const dir = path.join(src, pkg);
    const group = /const GroupName = "([^"]*)"/.exec(safeRead(path.join(dir, "register.go")))?.[1];
    const version = path.basename(pkg);
    if (group !== undefined) groups[group === "" ? version : `${group}/${version}`] = protoPackage;
    for (const file of readdirSync(dir).filter(isTypesFile)) {
      const text = readFileSync(path.join(dir, file), "utf8");
      for (const [name, fields] of goStructs(text)) {
        if (root.lookup(`${protoPackage}.${name}`) instanceof protobuf.Type) go[`${protoPackage}.${name}`] = fields;
      }
      for (const m of text.matchAll(/^type (\w+) \[\]\w+$/gm)) {
        const t = root.lookup(`${protoPackage}.${m[1]}`);
        if (t instanceof protobuf.Type && t.fieldsArray.length === 1 && t.fieldsArray[0]?.name === "items") lists.push(`${protoPackage}.${m[1]}`);
      }
    }
  }

  const descriptor = root.toJSON();
  stripOptions(descriptor);
  const doc = {
    comment:
      "Generated by scripts/generate-kube-proto.ts from the generated.proto files and Go types of k8s.io/api and k8s.io/apimachinery " +
      `(Kubernetes ${kubernetesVersion}; Debian ${suite} packages ${debs.join(", ")}). Copyright The Kubernetes Authors, Apache License 2.0: see LICENSE and NOTICE beside this file. Do not edit.`,
    kubernetes: kubernetesVersion,
    groups,
    lists: lists.sort(),
    go,
    descriptor,
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(doc)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}: ${packages.length} proto packages, ${Object.keys(go).length} Go structs, ${Object.keys(groups).length} group versions`);
}

/** Every struct type in a Go file with the JSON form of its protobuf-tagged fields. */
function* goStructs(text: string): Generator<[string, Record<string, GoField>]> {
  for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields: Record<string, GoField> = {};
    for (const line of (m[2] ?? "").split("\n")) {
      const f = /^\s*(?:\w+\s+)?(\*?)([\w.[\]*]+)\s+`([^`]*)`/.exec(line);
      const tag = f && /protobuf:"(?:bytes|varint|fixed\d\d),\d+,[^"]*"/.exec(f[3] ?? "")?.[0];
      if (!f || !tag) continue;
      // go-to-protobuf names a field after its JSON name, or an embedded struct after its type.
      const name = /name=([^,"]+)/.exec(tag)?.[1] ?? lowerFirst(f[2]?.split(".").pop() ?? "");
      const json = /json:"([^"]*)"/.exec(f[3] ?? "")?.[1]?.split(",") ?? [];
      const field: GoField = {};
      if (f[1] === "*") field.p = 1;
      if (json.includes("omitempty")) field.o = 1;
      if (json.includes("inline")) field.i = 1;
      if (json[0] && json[0] !== name) field.j = json[0];
      fields[name] = field;
    }
    if (Object.keys(fields).length > 0) yield [m[1] ?? "", fields];
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function isTypesFile(file: string): boolean {
  return file.endsWith(".go") && !file.endsWith("_test.go") && !file.startsWith("zz_generated") && file !== "generated.pb.go" && !file.endsWith("_swagger_doc_generated.go");
}

function safeRead(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

/** Drops go_package and similar options: the decoder needs names, numbers and types only. */
function stripOptions(node: protobuf.INamespace & Partial<protobuf.IType>): void {
  delete node.options;
  for (const f of Object.values(node.fields ?? {})) delete f.options;
  for (const o of Object.values(node.oneofs ?? {})) delete o.options;
  for (const n of Object.values(node.nested ?? {})) stripOptions(n as protobuf.INamespace);
}

main();
