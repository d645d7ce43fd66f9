// A TCP forwarder for tests: listens on one address and pipes each connection to another, e.g. so
// a node in another network namespace reaches a registry that listens on 127.0.0.1 only.
import { createServer, connect, type Socket } from 'node:net';

export interface TcpForward {
  host: string;
  port: number;
  /** Stops listening and ends every connection it carries. */
  close(): Promise<void>;
}

export async function forwardTcp(listen: { host: string; port?: number }, target: { host: string; port: number }): Promise<TcpForward> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    track(client);
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 0, listen.host, () => resolve());
  });
  return {
    host: listen.host,
    port: (server.address() as { port: number }).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
