import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceType } from "./resource-types";
import { groupVersion } from "./resource-types";
import type { ObjectStore, TypedEvent } from "./store";
import { typeKey } from "./resource-types";
import { KubeError } from "./status";
import { type IncludeObject, toTable } from "./table";
import type { KubeObject, WatchEventType } from "./types";

export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  matches: (o: KubeObject) => boolean;
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number;
  table?: IncludeObject;
}

export interface WatchSettings {
  bookmarkIntervalMs: number;
}

/** Streams watch events as newline-delimited JSON, the way the API server does over HTTP/1.1. */
export class WatchHub {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly store: ObjectStore,
    private readonly settings: WatchSettings,
  ) {}

  get count(): number {
    return this.open.size;
  }

  /** Ends every open watch, as an API server restart or a load balancer would. */
  closeAll(): void {
    for (const res of this.open) res.end();
  }

  serve(req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
    const key = typeKey(w.type);
    const inScope = (o: KubeObject) => (w.namespace === undefined || o.metadata.namespace === w.namespace) && w.matches(o);
    const write = (type: WatchEventType | "BOOKMARK" | "ERROR", object: unknown) => {
      const body = w.table && type !== "BOOKMARK" && type !== "ERROR" ? toTable(w.type, [object as KubeObject], (object as KubeObject).metadata.resourceVersion, w.table) : object;
      return res.write(JSON.stringify({ type, object: body }) + "\n");
    };
    const deliver = (e: TypedEvent) => {
      if (e.typeKey !== key) return;
      const now = inScope(e.object);
      const before = e.previous ? inScope(e.previous) : false;
      if (e.type === "DELETED") {
        if (before || now) write("DELETED", e.object);
      } else if (now && !before && e.type === "MODIFIED") write("ADDED", e.object);
      else if (now) write(e.type, e.object);
      else if (before) write("DELETED", e.object);
    };

    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked", "cache-control": "no-cache, private" });
    res.flushHeaders();

    const rv = w.resourceVersion;
    if (rv && rv !== "0") {
      const n = Number(rv);
      const events = Number.isFinite(n) ? this.store.eventsSince(w.type, n) : "expired";
      if (events === "expired") {
        const status = new KubeError(410, "Expired", `too old resource version: ${rv} (${this.store.oldestResumableRv})`);
        write("ERROR", status.toStatus());
        res.end();
        return;
      }
      for (const e of events) deliver(e);
    } else {
      for (const o of this.store.list(w.type, w.namespace)) if (inScope(o)) write("ADDED", o);
      if (w.sendInitialEvents && w.allowBookmarks) {
        write("BOOKMARK", bookmark(w.type, String(this.store.resourceVersion), { "k8s.io/initial-events-end": "true" }));
      }
    }

    const unsubscribe = this.store.subscribe(deliver);
    this.open.add(res);
    const bookmarkTimer = w.allowBookmarks
      ? setInterval(() => write("BOOKMARK", bookmark(w.type, String(this.store.resourceVersion))), this.settings.bookmarkIntervalMs)
      : undefined;
    const timeout = setTimeout(() => res.end(), w.timeoutSeconds * 1000);
    const cleanup = () => {
      unsubscribe();
      this.open.delete(res);
      if (bookmarkTimer) clearInterval(bookmarkTimer);
      clearTimeout(timeout);
    };
    res.on("close", cleanup);
    req.on("close", cleanup);
  }
}

function bookmark(t: ResourceType, resourceVersion: string, annotations?: Record<string, string>): unknown {
  return { kind: t.kind, apiVersion: groupVersion(t), metadata: { resourceVersion, ...(annotations ? { annotations } : {}) } };
}
