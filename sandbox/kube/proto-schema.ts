import { readFileSync } from "node:fs";
import path from "node:path";
import protobuf from "protobufjs";

/** How a Go struct field is written as JSON: p pointer, o omitempty, i inlined; j the JSON name where it differs. */
export interface GoField {
  p?: 1;
  o?: 1;
  i?: 1;
  j?: string;
}

interface SchemaFile {
  kubernetes: string;
  groups: Record<string, string>;
  lists: string[];
  go: Record<string, Record<string, GoField>>;
  descriptor: protobuf.INamespace;
}

export interface KubeSchema {
  kubernetes: string;
  root: protobuf.Root;
  /** The runtime.Unknown envelope every protobuf body is wrapped in. */
  unknown: protobuf.Type;
  /** The Go JSON form of a message's fields, by proto field name; undefined for types without Go struct tags. */
  goFields(type: protobuf.Type): Record<string, GoField> | undefined;
  /** Named slice types (Verbs, ExtraValue) whose message wraps the list in `items`. */
  isList(type: protobuf.Type): boolean;
  /** The message for a kind in an apiVersion, if the vendored definitions have it. */
  kindType(apiVersion: string, kind: string): protobuf.Type | undefined;
}

const schemaFile = path.join(import.meta.dirname, "proto", "kubernetes-1.32.json");
const metaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1";
// metav1.AddToGroupVersion registers these in every group version, as the real scheme does.
const optionKinds = new Set(["DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions", "GetOptions", "ListOptions"]);

let loaded: KubeSchema | undefined;

/** The Kubernetes protobuf schema, parsed on first use (most sandboxes never see a protobuf body). */
export function kubeSchema(): KubeSchema {
  loaded ??= load();
  return loaded;
}

function load(): KubeSchema {
  const file = JSON.parse(readFileSync(schemaFile, "utf8")) as SchemaFile;
  const root = protobuf.Root.fromJSON(file.descriptor);
  root.resolveAll();
  const lists = new Set(file.lists);
  const name = (type: protobuf.Type) => type.fullName.replace(/^\./, "");
  const lookup = (fullName: string) => {
    const t = root.lookup(fullName);
    return t instanceof protobuf.Type ? t : undefined;
  };
  return {
    kubernetes: file.kubernetes,
    root,
    unknown: root.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown"),
    goFields: (type) => file.go[name(type)],
    isList: (type) => lists.has(name(type)),
    kindType(apiVersion, kind) {
      const pkg = file.groups[apiVersion];
      if (!pkg || !/^[A-Z]\w*$/.test(kind)) return undefined;
      const own = lookup(`${pkg}.${kind}`);
      // Objects and lists carry metadata; other messages (Container, PodSpec…) are not kinds.
      if (own?.fields["metadata"]) return own;
      return optionKinds.has(kind) ? lookup(`${metaPackage}.${kind}`) : undefined;
    },
  };
}
