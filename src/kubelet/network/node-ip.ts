// The node's address when none is given: the one this machine sends from when it talks to the
// API server, which is the address the server and the nodes beside it can reach it at (k3s picks
// the default route's interface for the same reason). A connected UDP socket asks the kernel for
// that route without sending anything, on Linux and macOS alike.
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** The source address the kernel picks for packets to `serverURL`'s host. */
export async function sourceAddressFor(serverURL: string): Promise<string> {
  const url = new URL(serverURL);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const address = isIP(host) ? host : (await lookup(host)).address;
  const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
  const noRoute = (why: string) => new Error(`cannot tell this node's address: no route to the server ${address} (${why}); pass --node-ip`);
  try {
    const src = await new Promise<string>((resolve, reject) => {
      socket.once('error', (err) => reject(noRoute(err.message)));
      socket.connect(Number(url.port) || 443, address, () => resolve(socket.address().address));
    });
    // Some kernels leave an unroutable connected socket unbound rather than refusing it.
    if (src === '0.0.0.0' || src === '::') throw noRoute('no source address');
    return src;
  } finally {
    socket.close();
  }
}
