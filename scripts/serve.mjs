// Serves Corral (the production build, or `next dev` with --dev) in this process. Instead of
// `next start`: Next.js fills X-Forwarded-For with the connection's address only when the
// client sent none, so with no proxy in front a client could choose the address the audit
// log records. Here every request carries the socket's address in a header that no client
// can set (it is overwritten), and lib/http/request-meta.ts trusts it only when this server
// says so.
//   node scripts/serve.mjs [--dev] [--port N] [--hostname H]
import http from "node:http";
import next from "next";
import { root } from "./lib/bootstrap.mjs";

export const PEER_HEADER = "x-corral-peer";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dev = args.includes("--dev");
const port = Number(option("--port", process.env.PORT ?? "3000"));
const hostname = option("--hostname", "127.0.0.1");

// Read by lib/http/request-meta.ts in this same process.
globalThis[Symbol.for("corral.peerHeader")] = PEER_HEADER;

const app = next({ dev, dir: root, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const server = http.createServer((request, response) => {
  request.headers[PEER_HEADER] = request.socket.remoteAddress ?? "";
  void handle(request, response);
});
if (dev) server.on("upgrade", app.getUpgradeHandler());
server.listen(port, hostname, () => console.log(`✓ Ready on http://${hostname}:${port}`));

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  void app.close().finally(() => process.exit(0));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
