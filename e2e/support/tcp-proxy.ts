import { createServer, type Socket, connect } from "node:net";

/**
 * A TCP proxy in front of the portal, so a test can cut the browser's connections the way a
 * flaky network or a restarting load balancer would. Cookies ignore ports, so a signed-in
 * browser stays signed in through it.
 */
export async function startTcpProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("proxy has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Drops every open connection at once. */
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    open: () => sockets.size,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
