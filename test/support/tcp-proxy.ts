/**
 * A TCP proxy owned by a test, to cut a dependency for real: the app connects to the proxy, and `cut()`
 * closes the listening socket and every open connection, as a database host going away does (new
 * connections are refused, open ones reset). `restore()` listens again on the same port.
 */
import net from "node:net";

export interface TcpProxy {
  port: number;
  /** Connections accepted since the proxy started. */
  readonly accepted: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, listen: { host?: string; port?: number } = {}): Promise<TcpProxy> {
  const host = listen.host ?? "127.0.0.1";
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let server: net.Server | null = null;
  let port = listen.port ?? 0;

  const open = async () => {
    const created = net.createServer((client) => {
      accepted += 1;
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        // A reset on one side ends the other: errors are the expected way connections end here.
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      created.once("error", reject);
      created.listen(port, host, () => resolve());
    });
    port = (created.address() as net.AddressInfo).port;
    server = created;
  };

  const cut = async () => {
    const closing = server;
    server = null;
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await open();
  return {
    get port() {
      return port;
    },
    get accepted() {
      return accepted;
    },
    cut,
    restore: async () => {
      if (!server) await open();
    },
    close: cut,
  };
}

/** The same database URL, through the proxy. */
export function throughProxy(databaseUrl: string, proxy: TcpProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  return url.toString();
}
