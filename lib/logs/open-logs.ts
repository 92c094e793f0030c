import "server-only";
import { Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { V1Pod } from "@kubernetes/client-node";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { kubeClients } from "@/lib/kube/client";
import { toKubeError } from "@/lib/kube/errors";
import { makeKubeInformer, resilientInformer } from "@/lib/kube/informers";
import { openContainerLog } from "@/lib/kube/logs";
import { LABELS } from "@/lib/kube/labels";
import { alreadySeen, type Cursor } from "./cursor";
import { LineMerger } from "./line-merger";
import { splitTimestamp } from "./log-line";
import type { LogSelection } from "./schemas";

const MAX_LINE_CHARS = 64 * 1024;

export interface LogSource {
  pod: string;
  container: string;
}

export interface OpenLogsOptions {
  follow: boolean;
  tailLines?: number;
  /** Only lines at or after this time (RFC 3339). */
  since?: string;
  cursor?: Cursor | null;
}

export interface OpenLogs {
  merger: LineMerger;
  sources: string[];
  /** Sources that could not be opened, with the reason in plain words. */
  problems: { source: string; message: string }[];
  /** Called with every source so far when one joins (a new pod of the component). */
  onSourcesChanged: (listener: (sources: string[]) => void) => () => void;
  close: () => void;
}

/**
 * Opens one Kubernetes log stream per container of the selection and merges them. Closing
 * aborts every upstream request at once, so a reader that goes away leaves nothing open.
 */
export async function openLogs(environmentId: string, selection: LogSelection, options: OpenLogsOptions): Promise<OpenLogs> {
  const env = await db.environment.findUnique({ where: { id: environmentId }, include: { cluster: true } });
  if (!env || env.status === "destroyed") throw new AppError("not_found", "There is no such environment.");
  if (!env.cluster) throw new AppError("conflict", "This environment has no cluster yet, so it has no logs.");
  const kube = kubeClients(env.cluster);
  const listed = await resolveSources(kube, env.name, env.id, selection);
  if (listed.sources.length === 0) throw new AppError("not_found", "There are no pods to read logs from (yet).");
  const namespace = env.name;

  const merger = new LineMerger();
  const controllers: AbortController[] = [];
  const problems: OpenLogs["problems"] = [];
  const sources: string[] = [];
  // Streams open now; a container that stopped and started again is followed again.
  const active = new Set<string>();
  const sourceListeners = new Set<(sources: string[]) => void>();
  let closed = false;
  const seenSinceResume = new Map<string, number>();

  async function openSource({ pod, container }: LogSource, start: { sinceTime?: string; tailLines?: number }) {
    const source = `${pod}/${container}`;
    if (active.has(source) || closed) return;
    active.add(source);
    const isNew = !sources.includes(source);
    if (isNew) sources.push(source);
    const endProducer = merger.addProducer();
    const end = () => {
      active.delete(source);
      endProducer();
    };
    let partial = "";
    // Characters split across chunks are joined, not garbled.
    const decoder = new StringDecoder("utf8");
    const accept = (raw: string) => {
      const split = splitTimestamp(raw);
      if (!split) return;
      if (options.cursor && alreadySeen(options.cursor, seenSinceResume, source, split.time)) return;
      merger.add({ source, time: split.time, text: split.text });
    };
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        const lines = (partial + decoder.write(chunk)).split("\n");
        partial = lines.pop() ?? "";
        // A line that never ends is cut, so one runaway writer cannot grow memory without bound.
        if (partial.length > MAX_LINE_CHARS) {
          lines.push(partial.slice(0, MAX_LINE_CHARS));
          partial = "";
        }
        for (const raw of lines) accept(raw);
        merger.endOfChunk();
        merger.room().then(() => callback(), callback);
      },
      final(callback) {
        partial += decoder.end();
        if (partial) accept(partial);
        end();
        callback();
      },
      destroy(_error, callback) {
        end();
        callback(null);
      },
    });
    sink.on("error", end);
    // client-node pipes the response body into the sink and leaves the body's errors
    // unhandled; aborting (the reader went away) errors it, which must end this source
    // quietly rather than crash the process.
    sink.on("pipe", (body) => body.on("error", () => sink.destroy()));
    try {
      const controller = await openContainerLog(kube, namespace, pod, container, sink, { follow: options.follow, timestamps: true, previous: selection.previous, ...start });
      if (closed) controller.abort();
      controllers.push(controller);
    } catch (error) {
      problems.push({ source, message: plainLogError(error, pod, container, selection.previous) });
      end();
    }
    if (isNew) for (const l of sourceListeners) l([...sources]);
  }

  await Promise.all(
    listed.sources.map((s) => openSource(s, startAt(options.cursor?.[`${s.pod}/${s.container}`]?.time ?? options.since, options.tailLines))),
  );

  // Following a component: pods that start later (a rollout, a restart) join the stream from
  // their first line, found by a watch on the component's pods.
  const stopWatching =
    options.follow && !selection.pod && !selection.previous
      ? watchNewPods(kube, env.cluster.name, namespace, listed, (pod, container, startedAt) => void openSource({ pod, container }, { sinceTime: startedAt }), merger)
      : () => {};

  return {
    merger,
    sources,
    problems,
    onSourcesChanged: (listener) => {
      sourceListeners.add(listener);
      return () => sourceListeners.delete(listener);
    },
    close: () => {
      if (closed) return;
      closed = true;
      stopWatching();
      for (const c of controllers) c.abort();
      merger.close();
    },
  };
}

/**
 * Watches the selection's pods, with the shared resilient informer every watch of Corral's
 * uses (it lists, watches, resumes and re-lists on 410 by itself); calls `found` for each
 * container that is running (the caller skips the ones it already follows). Holds the merge
 * open while it watches: a component may be between pods.
 */
function watchNewPods(
  kube: ReturnType<typeof kubeClients>,
  cluster: string,
  namespace: string,
  listed: { selector: string; container?: string },
  found: (pod: string, container: string, startedAt: string) => void,
  merger: LineMerger,
): () => void {
  const holdOpen = merger.addProducer();
  const pods = resilientInformer<V1Pod>(
    `${cluster}/${namespace}/log-pods`,
    () => makeKubeInformer(kube.config, `/api/v1/namespaces/${namespace}/pods`, () => kube.core.listNamespacedPod({ namespace, labelSelector: listed.selector }), listed.selector),
    cluster,
  );
  const onPod = (pod: V1Pod) => {
    if (pod.metadata?.deletionTimestamp) return;
    for (const c of pod.status?.containerStatuses ?? []) {
      const startedAt = c.state?.running?.startedAt;
      if (startedAt && (!listed.container || c.name === listed.container)) found(pod.metadata?.name ?? "", c.name, new Date(startedAt).toISOString());
    }
  };
  pods.informer.on("add", onPod);
  pods.informer.on("update", onPod);
  void pods.start().catch(() => {});
  return () => {
    void pods.stop().catch(() => {});
    holdOpen();
  };
}

async function resolveSources(
  kube: ReturnType<typeof kubeClients>,
  namespace: string,
  environmentId: string,
  selection: LogSelection,
): Promise<{ sources: LogSource[]; selector: string; container?: string; resourceVersion: string }> {
  try {
    if (selection.pod) {
      const pod = await kube.core.readNamespacedPod({ namespace, name: selection.pod });
      // Only pods of this environment: the namespace is its own, but check the label anyway.
      if (pod.metadata?.labels?.[LABELS.environment] !== environmentId) throw new AppError("not_found", "There is no such pod in this environment.");
      const containers = pod.spec?.containers.map((c) => c.name) ?? [];
      const container = selection.container ?? containers[0];
      if (!container || !containers.includes(container)) throw new AppError("not_found", `Pod ${selection.pod} has no container ${selection.container ?? ""}.`);
      return { sources: [{ pod: selection.pod, container }], selector: "", resourceVersion: "" };
    }
    const selector = [`${LABELS.environment}=${environmentId}`, ...(selection.component ? [`${LABELS.component}=${selection.component}`] : [])].join(",");
    const pods = await kube.core.listNamespacedPod({ namespace, labelSelector: selector });
    const sources = pods.items
      .filter((p) => !p.metadata?.deletionTimestamp)
      .flatMap((p) =>
        (p.spec?.containers ?? [])
          .filter((c) => !selection.container || c.name === selection.container)
          .map((c) => ({ pod: p.metadata?.name ?? "", container: c.name })),
      )
      .sort((a, b) => a.pod.localeCompare(b.pod));
    return { sources, selector, container: selection.container, resourceVersion: pods.metadata?.resourceVersion ?? "" };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const e = toKubeError(error);
    if (e.status === 404) throw new AppError("not_found", "There is no such pod in this environment.");
    throw new AppError("unavailable", `The cluster could not be asked for this environment's pods: ${e.message}`);
  }
}

// Where a source starts: a resume point or asked-for time, else the last N lines. client-node
// drops tailLines=0 (it only sends truthy values), which would replay the whole log, so
// "no history" becomes "since now".
function startAt(since: string | undefined, tailLines: number | undefined): { sinceTime?: string; tailLines?: number } {
  if (since) return { sinceTime: since };
  if (tailLines === 0) return { sinceTime: new Date().toISOString() };
  return tailLines !== undefined ? { tailLines } : {};
}

function plainLogError(error: unknown, pod: string, container: string, previous: boolean): string {
  const e = toKubeError(error);
  if (e.status === 400) {
    return previous ? `${container} in ${pod} has no previous container (it has not restarted).` : `${container} in ${pod} has not started yet, so it has no logs.`;
  }
  if (e.status === 404) return `Pod ${pod} is gone.`;
  return `Logs of ${container} in ${pod} could not be read: ${e.message}`;
}
