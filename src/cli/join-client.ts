// The agent's side of joining: fetch the CA without trusting it yet, check it against the token,
// then trade the token for node credentials over a connection that verifies the server.
import { request } from 'node:https';
import type { JoinResponse } from '../apiserver/join.js';
export { tokenTrustsCA } from '../apiserver/authn.js';

function call(url: string, opts: { method: string; ca?: string; token?: string; body?: unknown }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(url, {
      method: opts.method,
      // The CA is not known yet on the first call; what it returns is checked against the token.
      ...(opts.ca ? { ca: opts.ca } : { rejectUnauthorized: false }),
      headers: {
        ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
        ...(data ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)) } : {}),
      },
      timeout: 15000,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in 15 s`)));
    req.on('error', (err) => reject(new Error(`cannot reach ${url}: ${err.message}`)));
    req.end(data);
  });
}

export async function fetchCA(server: string): Promise<string> {
  const r = await call(new URL('/cacerts', server).toString(), { method: 'GET' });
  if (r.status !== 200 || !r.body.includes('BEGIN CERTIFICATE')) throw new Error(`${server}/cacerts answered ${r.status}: is this a k8ts server?`);
  return r.body;
}

export async function requestJoin(server: string, ca: string, token: string, nodeName: string, addresses: string[] = []): Promise<JoinResponse> {
  const r = await call(new URL('/k8ts/v1/join', server).toString(), { method: 'POST', ca, token, body: { nodeName, addresses } });
  if (r.status !== 200) {
    let msg = r.body;
    try { msg = JSON.parse(r.body).message ?? msg; } catch { /* plain text */ }
    throw new Error(`joining ${server} failed (${r.status}): ${msg}`);
  }
  return JSON.parse(r.body) as JoinResponse;
}
