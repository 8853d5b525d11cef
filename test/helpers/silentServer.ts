/**
 * A loopback TCP server that accepts every connection and never answers: the hanging upstream of the deadline tests
 * (a process stuck after accept, or a proxy that holds the connection). It counts connections (one per attempt of
 * the gateway, which drops a connection whose request timed out) and lets a test await the next one.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface SilentServer {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Resolves when connection number `n` (1-based) has been accepted. */
  connection(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.resume(); // read and drop the request: the reply never comes
    for (const waiter of waiters.filter((w) => w.n <= connections)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    connection(n) {
      if (connections >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
