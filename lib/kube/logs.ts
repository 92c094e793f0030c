import "server-only";
import type { Writable } from "node:stream";
import { Log, type LogOptions } from "@kubernetes/client-node";
import type { KubeClients } from "./client";
import { withKubeRetry } from "./retrying-http";

/**
 * Opens one container's log stream into `sink`, the opening retried like every other call of
 * lib/kube (client-node's Log sends its own request, outside the retrying HTTP layer). Only the
 * opening: once lines flow, a broken stream is the reader's to resume from its cursor.
 */
export function openContainerLog(kube: KubeClients, namespace: string, pod: string, container: string, sink: Writable, options: LogOptions): Promise<AbortController> {
  const api = new Log(kube.config);
  return withKubeRetry(() => api.log(namespace, pod, container, sink, options), { what: `GET /api/v1/namespaces/${namespace}/pods/${pod}/log` });
}
