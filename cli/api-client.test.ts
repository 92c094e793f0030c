import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "./api-client.js";
import { followEventStream } from "./event-stream.js";
import { CliError, EXIT } from "./exit-codes.js";

// The client against a real HTTP server on loopback that misbehaves on purpose: rate limits,
// a dependency down, connections cut mid-answer, an event stream that drops.

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, n++));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests: () => n };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

describe("the API client", () => {
  it("waits out a 429 as Retry-After says and a 503 with backoff, then answers", async () => {
    const server = await serve((_req, res, n) => {
      if (n === 0) return json(res, 429, { error: { code: "rate_limited", message: "Too many changes." } }, { "retry-after": "0" });
      if (n === 1) return json(res, 503, { error: { code: "unavailable", message: "The database is not reachable right now." } });
      json(res, 202, { id: "e1" });
    });
    const notices: string[] = [];
    const client = new ApiClient({ url: server.url, token: "crl_t", onRetry: (m) => notices.push(m) });
    expect(await client.json("POST", "/api/v1/environments", { body: { name: "x" } })).toEqual({ id: "e1" });
    expect(server.requests()).toBe(3);
    expect(notices[0]).toMatch(/Too many changes\. Trying again in/);
  });

  it("gives up after its retries with the unavailable code", async () => {
    const server = await serve((_req, res) => json(res, 503, { error: { code: "unavailable", message: "Down." } }));
    const client = new ApiClient({ url: server.url, token: null, retries: 1 });
    await expect(client.get("/api/v1/me")).rejects.toMatchObject({ exitCode: EXIT.unavailable, status: 503, message: "Down." });
    expect(server.requests()).toBe(2);
  });

  it("maps the API's errors to exit codes, with a 400's field messages", async () => {
    const server = await serve((req, res) => {
      if (req.url?.startsWith("/api/v1/bad")) return json(res, 400, { error: { code: "invalid_input", message: "Check the fields.", details: { name: ["A name is lower case."] } } });
      json(res, 403, { error: { code: "forbidden", message: "Only the owner or a lead may destroy this environment." } });
    });
    const client = new ApiClient({ url: server.url, token: "crl_t" });
    await expect(client.json("POST", "/api/v1/bad", { body: {} })).rejects.toMatchObject({ exitCode: EXIT.badInput, message: "Check the fields.\n  name: A name is lower case." });
    await expect(client.json("DELETE", "/api/v1/environments/e1")).rejects.toMatchObject({ exitCode: EXIT.notAllowed, status: 403 });
  });

  it("sends a GET again after a dropped connection, but never a POST that may have arrived", async () => {
    const server = await serve((req, res, n) => {
      if (n === 0 || req.method === "POST") return void req.socket.destroy();
      json(res, 200, { ok: true });
    });
    const client = new ApiClient({ url: server.url, token: "crl_t" });
    expect(await client.get("/api/v1/me")).toEqual({ ok: true });
    const before = server.requests();
    await expect(client.json("POST", "/api/v1/environments/e1/rollback")).rejects.toMatchObject({ exitCode: EXIT.unavailable });
    expect(server.requests() - before).toBe(1);
  });

  it("retries a refused connection, which never reached a server, and then says so", async () => {
    const server = await serve(() => undefined);
    await close?.();
    close = undefined;
    const client = new ApiClient({ url: server.url, token: null, retries: 1 });
    const error = await client.json("POST", "/api/v1/environments").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: EXIT.unavailable, message: expect.stringMatching(/connection refused/) });
  });
});

describe("following an event stream", () => {
  it("reconnects after a drop with Last-Event-ID and carries on from there", async () => {
    const lastIds: (string | undefined)[] = [];
    const server = await serve((req, res, n) => {
      lastIds.push(req.headers["last-event-id"] as string | undefined);
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (n === 0) {
        res.write(": connected\n\nid: c1\nevent: lines\ndata: 1\n\nid: c2\nevent: lines\ndata: 2\n\n");
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (n === 1) return void res.end("id: c3\nevent: lines\ndata: 3\n\n"); // the server ends it cleanly: reconnect too
      res.end("id: c4\nevent: lines\ndata: 4\n\nevent: end\ndata: {}\n\n");
    });
    const client = new ApiClient({ url: server.url, token: "crl_t" });
    const seen: string[] = [];
    const comments: string[] = [];
    await followEventStream(client, "/api/v1/environments/e1/logs", {
      onComment: (c) => void comments.push(c),
      onEvent: (e) => (e.event === "end" ? "end" : void seen.push(e.data)),
    });
    expect(seen).toEqual(["1", "2", "3", "4"]);
    expect(lastIds).toEqual([undefined, "c2", "c3"]);
    expect(comments).toEqual(["connected"]);
  });

  it("stops when the signal aborts, with its reason", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": connected\n\n");
    });
    const client = new ApiClient({ url: server.url, token: "crl_t" });
    const controller = new AbortController();
    const following = followEventStream(client, "/x", { signal: controller.signal, onEvent: () => undefined, onComment: () => void controller.abort(new CliError(EXIT.timedOut, "late")) });
    await expect(following).rejects.toMatchObject({ exitCode: EXIT.timedOut });
  });
});

describe("--wait", () => {
  it("reads the environment when the change stream connects, and again after it reconnects: nothing missed in between", async () => {
    const { waitForEnvironment } = await import("./wait.js");
    let reads = 0;
    let streams = 0;
    const server = await serve((req, res) => {
      if (req.url?.startsWith("/api/v1/environments/changes")) {
        streams++;
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": connected\n\n");
        // The first stream drops at once: the change to Ready happens while it is down.
        if (streams === 1) setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      reads++;
      json(res, 200, { id: "e1", name: "pr-42", status: reads === 1 ? "provisioning" : "ready", statusReason: null });
    });
    const client = new ApiClient({ url: server.url, token: "crl_t" });
    const statuses: string[] = [];
    const env = await waitForEnvironment(client, "e1", "ready", { timeoutSeconds: 10, onStatus: (e) => void statuses.push(e.status) });
    expect(env.status).toBe("ready");
    expect(statuses).toEqual(["provisioning", "ready"]);
    expect(streams).toBe(2);
  });

  it("times out with the status it last read", async () => {
    const { waitForEnvironment } = await import("./wait.js");
    const server = await serve((req, res) => {
      if (req.url?.startsWith("/api/v1/environments/changes")) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        return void res.write(": connected\n\n");
      }
      json(res, 200, { id: "e1", name: "pr-42", status: "degraded", statusReason: "web keeps crashing" });
    });
    const client = new ApiClient({ url: server.url, token: "crl_t" });
    await expect(waitForEnvironment(client, "e1", "ready", { timeoutSeconds: 0.3 })).rejects.toMatchObject({
      exitCode: EXIT.timedOut,
      message: "Timed out after 0.3 s waiting for Ready: pr-42 is Degraded (web keeps crashing).",
    });
  });
});
