import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived, for checking its signature. */
  body: string;
}

/** How a path answers: a fixed status, or one per request in turn (the last repeats). */
export type Script = number | number[];

/**
 * A webhook receiver on loopback: records every request (headers and raw body) and answers
 * each path as scripted (200 unless told otherwise).
 */
export async function startWebhookReceiver(scripts: Record<string, Script> = {}) {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const n = counts.get(path) ?? 0;
      counts.set(path, n + 1);
      const script = scripts[path] ?? 200;
      const status = Array.isArray(script) ? (script[Math.min(n, script.length - 1)] ?? 200) : script;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status >= 400 ? (status === 400 ? "unknown event" : "down for maintenance") : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
