import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../http-util";
import type { Kubelet } from "./kubelet";
import { type LogInstance, formatTimestamp } from "./log-lines";
import { KubeError } from "./status";

/** Serves /pods/{name}/log the way the kubelet does behind the API server, and counts open streams. */
export class PodLogs {
  private open = 0;
  private readonly openByNamespace = new Map<string, number>();

  constructor(
    private readonly kubelet: Kubelet,
    private readonly followPollMs = 50,
  ) {}

  get openStreams(): number {
    return this.open;
  }

  /** Open streams per namespace: a test counting its own is not misled by another test's viewer. */
  get openStreamsByNamespace(): Record<string, number> {
    return Object.fromEntries([...this.openByNamespace].filter(([, n]) => n > 0));
  }

  handle = (req: IncomingMessage, res: ServerResponse, namespace: string, name: string, q: URLSearchParams): void => {
    let instance: LogInstance;
    try {
      instance = this.pick(namespace, name, q);
    } catch (err) {
      const e = err as KubeError;
      sendJson(res, e.code, e.toStatus());
      return;
    }
    const follow = q.get("follow") === "true";
    const timestamps = q.get("timestamps") === "true";
    const limitBytes = Number(q.get("limitBytes") ?? "0") || Infinity;
    const now = Date.now();
    let cursor = instance.firstAvailable(now);
    const sinceSeconds = Number(q.get("sinceSeconds") ?? "0");
    const sinceTime = q.get("sinceTime");
    if (sinceSeconds > 0) cursor = Math.max(cursor, instance.indexAt(now - sinceSeconds * 1000));
    else if (sinceTime) cursor = Math.max(cursor, instance.indexAt(Date.parse(sinceTime)));
    const tail = q.get("tailLines");
    if (tail !== null && Number(tail) >= 0) cursor = Math.max(cursor, instance.count(now) - Number(tail));

    let written = 0;
    this.open++;
    this.openByNamespace.set(namespace, (this.openByNamespace.get(namespace) ?? 0) + 1);
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (closed) return;
      closed = true;
      this.open--;
      this.openByNamespace.set(namespace, (this.openByNamespace.get(namespace) ?? 1) - 1);
      if (timer) clearTimeout(timer);
      res.end();
    };
    res.on("close", finish);
    res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked", "cache-control": "no-cache, private" });
    res.flushHeaders();

    // Writes what has been logged since the cursor; false once the stream must end.
    // Without follow, the log as it stood when the request came: a line written meanwhile is not part of it.
    const upTo = follow ? Infinity : instance.count(now);
    const pump = (): boolean => {
      const t = Date.now();
      const total = Math.min(instance.count(t), upTo);
      cursor = Math.max(cursor, instance.firstAvailable(t));
      const parts: string[] = [];
      for (; cursor < total; cursor++) {
        const line = instance.line(cursor, t);
        let text = (timestamps ? `${formatTimestamp(line.time)} ` : "") + line.text + "\n";
        if (written + Buffer.byteLength(text) > limitBytes) {
          text = Buffer.from(text).subarray(0, limitBytes - written).toString("utf8");
          parts.push(text);
          written = limitBytes;
          break;
        }
        written += Buffer.byteLength(text);
        parts.push(text);
        if (parts.length >= 2000) break;
      }
      if (parts.length > 0 && !res.write(parts.join(""))) {
        res.once("drain", schedule);
        return true;
      }
      if (written >= limitBytes) return false;
      if (cursor < total) {
        setImmediate(schedule);
        return true;
      }
      return follow && instance.end === undefined ? (timer = setTimeout(schedule, this.followPollMs), true) : false;
    };
    const schedule = () => {
      if (closed) return;
      if (!pump()) finish();
    };
    schedule();
  };

  private pick(namespace: string, name: string, q: URLSearchParams): LogInstance {
    const rt = this.kubelet.runtime(namespace, name);
    const names = rt?.containers.map((c) => c.name) ?? [];
    const wanted = q.get("container");
    if (!rt) throw new KubeError(400, "BadRequest", `pod ${name} is not running yet`);
    if (!wanted && names.length > 1) {
      throw new KubeError(400, "BadRequest", `a container name must be specified for pod ${name}, choose one of: [${names.join(" ")}]`);
    }
    const c = wanted ? rt.containers.find((x) => x.name === wanted) : rt.containers[0];
    if (!c) throw new KubeError(400, "BadRequest", `container ${wanted ?? ""} is not valid for pod ${name}`);
    if (q.get("previous") === "true") {
      if (!c.previous) throw new KubeError(400, "BadRequest", `previous terminated container "${c.name}" in pod "${name}" not found`);
      return c.previous;
    }
    if (c.current) return c.current;
    if (c.state.kind === "waiting" && c.restartCount === 0) {
      throw new KubeError(400, "BadRequest", `container "${c.name}" in pod "${name}" is waiting to start: ${c.state.reason}`);
    }
    // Between restarts the API shows the last run's output.
    if (c.previous) return c.previous;
    throw new KubeError(400, "BadRequest", `container "${c.name}" in pod "${name}" is not available`);
  }
}
