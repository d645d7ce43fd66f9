// Joining a node, as k3s does: /cacerts gives anyone the cluster CA (the agent checks it against
// the hash in its token), and /k8ts/v1/join, given the join token, issues the node's credentials:
// a client certificate for system:node:<name> and a serving certificate for its kubelet.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../machinery/status.js';
import { validateDNS1123Subdomain } from '../machinery/names.js';
import { bearerToken, joinTokenMatches } from './authn.js';
import { mediaType, parseBody, readBody, sendJSON } from './http.js';
import { issueClientCert, issueServingCert, type Pki } from './pki.js';

export interface JoinResponse {
  /** The node's pod range. */
  podCIDR: string;
  /** The cluster's pod and Service ranges, which the node routes (and blackholes) as a whole. */
  clusterCIDR: string;
  serviceCIDR: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  servingCert: string;
  servingKey: string;
}

export function cacertsHandler(pki: Pki) {
  return async (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(pki.caCert)) });
    res.end(pki.caCert);
  };
}

export interface JoinNetwork {
  clusterCIDR: string;
  serviceCIDR: string;
  /** Reserves (or finds) the node's pod range. */
  podCIDR(nodeName: string): Promise<string>;
}

export function joinHandler(pki: Pki, token: string, network: JoinNetwork) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') throw errors.methodNotAllowed(req.method ?? '', '/k8ts/v1/join');
    const presented = bearerToken(req.headers);
    if (!presented || !joinTokenMatches(presented, token)) throw errors.unauthorized('the join token is not valid for this cluster');
    const body = parseBody(await readBody(req), mediaType(req)) as { nodeName?: unknown; addresses?: unknown };
    const nodeName = typeof body?.nodeName === 'string' ? body.nodeName : '';
    const bad = validateDNS1123Subdomain(nodeName);
    if (!nodeName || bad.length) throw errors.badRequest(`nodeName: ${nodeName ? bad[0] : 'Required value'}`);
    const addresses = Array.isArray(body.addresses) ? body.addresses.filter((a): a is string => typeof a === 'string') : [];
    const [client, serving] = await Promise.all([
      issueClientCert(pki, { commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] }),
      issueServingCert(pki, { commonName: nodeName, sans: [nodeName, 'localhost', '127.0.0.1', ...addresses] }),
    ]);
    const out: JoinResponse = {
      podCIDR: await network.podCIDR(nodeName), clusterCIDR: network.clusterCIDR, serviceCIDR: network.serviceCIDR,
      caCert: pki.caCert, clientCert: client.cert, clientKey: client.key, servingCert: serving.cert, servingKey: serving.key,
    };
    sendJSON(res, 200, out);
  };
}
