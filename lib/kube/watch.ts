import "server-only";
import { STATUS_CODES } from "node:http";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { HttpMethod, RequestContext, Watch } from "@kubernetes/client-node";
import { fetch } from "undici";
import { parseRetryAfter } from "./retry-policy";

/** Why a watch request was refused: its status, the server's Retry-After, and its message. */
export class WatchRefused extends Error {
  constructor(
    readonly statusCode: number,
    readonly retryAfterMs: number | null,
    message: string,
  ) {
    super(message);
    this.name = "WatchRefused";
  }
}

// How long a watch may go without a byte (events or bookmarks) before it is taken for dead.
const INACTIVITY_MS = 30_000;

/**
 * client-node's Watch (2.0), written again for one reason: a refused watch must say when to come
 * back. client-node's keeps only the HTTP status, so a watch answered 429 under
 * priority-and-fairness would be sent again (same URL, same resourceVersion) before the server's
 * Retry-After; this one's error carries it (WatchRefused) for resilientInformer's restart. The
 * request, its authentication, the line-by-line events and the inactivity timeout are client-node's.
 */
export class KubeWatch extends Watch {
  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new Error("No currently active cluster");
    const url = new URL(cluster.server + path);
    url.searchParams.set("watch", "true");
    for (const [key, value] of Object.entries(queryParams)) if (value !== undefined) url.searchParams.set(key, String(value));
    const controller = new AbortController();
    const ctx = new RequestContext(url.toString(), HttpMethod.GET);
    await this.config.applySecurityAuthentication(ctx);

    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
      }, INACTIVITY_MS);
      timer.unref();
    };
    const end = (err: unknown) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      controller.abort();
      done(err && timedOut ? new DOMException("The operation was aborted due to timeout", "TimeoutError") : err);
    };
    try {
      reset();
      const response = await fetch(url, { method: "GET", headers: ctx.getHeaders(), dispatcher: ctx.getDispatcher(), signal: controller.signal });
      if (response.status !== 200) {
        const body = await response.text().catch(() => "");
        let message = response.statusText || STATUS_CODES[response.status] || "Internal Server Error";
        try {
          message = (JSON.parse(body) as { message?: string }).message ?? message;
        } catch {
          // not a Status object: keep the status text
        }
        throw new WatchRefused(response.status, parseRetryAfter(response.headers.get("retry-after")), message);
      }
      reset();
      const stream = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
      stream.on("error", end);
      stream.on("close", () => end(null));
      stream.on("data", reset);
      const lines = createInterface(stream);
      lines.on("error", end);
      lines.on("close", () => end(null));
      lines.on("line", (line) => {
        try {
          const data = JSON.parse(line) as { type: string; object: unknown };
          callback(data.type, data.object, data);
        } catch {
          // a line that is not an event is skipped, as client-node does
        }
      });
    } catch (err) {
      end(err);
    }
    return controller;
  }
}
