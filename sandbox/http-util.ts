import type { IncomingMessage, ServerResponse } from "node:http";

// Bodies read before a request is routed (to tell one request from another), for its handler to read again.
const readEarly = new WeakMap<IncomingMessage, Buffer>();

/** Reads the body now; a later readBody of the same request answers it again. */
export async function readBodyEarly(req: IncomingMessage, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
  const body = await readBody(req, maxBytes);
  readEarly.set(req, body);
  return body;
}

export async function readBody(req: IncomingMessage, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
  const early = readEarly.get(req);
  if (early) return early;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new Error(`request body larger than ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
