import { NextRequest } from "next/server";

type Handler<P> = (request: NextRequest, segment: { params: Promise<P> }) => Promise<Response>;

/** Calls a route handler in-process with a real Request, as Next.js would. */
export async function callRoute<P extends Record<string, string> = Record<string, string>>(
  handler: Handler<P>,
  options: { method?: string; path?: string; body?: unknown; rawBody?: string; params?: P; headers?: Record<string, string> } = {},
) {
  const init: { method: string; body?: string; headers: Record<string, string> } = {
    method: options.method ?? "GET",
    headers: { "content-type": "application/json", ...options.headers },
  };
  if (options.rawBody !== undefined) init.body = options.rawBody;
  else if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const request = new NextRequest(new URL(options.path ?? "/", "http://corral.test"), init);
  const response = await handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
  const text = await response.text();
  const body = (response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : { text }) as Record<string, any>;
  return { status: response.status, headers: response.headers, body };
}
